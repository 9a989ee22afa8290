package com.registryservice.storage;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.internal.PlatformDependent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.impl.HttpServerRequestInternal;

/**
 * Sends a region of a local file as a response body by copying it through one small buffer, a chunk at a time, on the
 * response's event loop. Measured on loopback, this pulls as fast as CNCF distribution, where {@code sendfile} reached
 * 0.8× of it (docs/benchmarks.md: a chunk read into a buffer that fits the CPU's cache is still there when the socket
 * copies it, and the client then copies bytes still in the cache). The event loop reads only what
 * the page cache holds: before each window of the file it asks the kernel ({@code mincore}, through
 * {@link MappedByteBuffer#isLoaded()}), and a window that is not all in memory is first read by a worker thread.
 * Buffers come from a fixed number of slots, so the memory this takes does not grow with the number of pulls: a pull
 * that finds no slot free is sent by {@code sendfile}.
 */
final class FileCopySender {

    /**
     * Bytes per read and per write: small enough to stay in the CPU's cache between the two, large enough that the
     * service spends no more CPU per byte than distribution does (32 KiB: 40 % more; docs/benchmarks.md).
     */
    static final int CHUNK = 128 * 1024;
    /** Bytes whose residence in the page cache is asked (or made sure of) at once. */
    static final int WINDOW = 1024 * 1024;
    /** Pulls that may copy at once, by default: CHUNK × SLOTS (16 MiB) of direct memory at most. */
    static final int SLOTS = 128;

    private final Vertx vertx;
    private final AtomicInteger free;
    private final Predicate<MappedByteBuffer> residence;

    FileCopySender(Vertx vertx) {
        this(vertx, SLOTS, MappedByteBuffer::isLoaded);
    }

    /** With {@code slots} pulls copying at once, and {@code resident} telling whether mapped pages are in memory. */
    FileCopySender(Vertx vertx, int slots, Predicate<MappedByteBuffer> resident) {
        this.vertx = vertx;
        this.free = new AtomicInteger(slots);
        this.residence = resident;
    }

    /** Pulls that could start copying now. */
    int freeSlots() {
        return free.get();
    }

    /**
     * Sends {@code length} bytes of {@code file} from {@code offset} as the answer's body, and ends it. Whatever thread
     * calls, the copy runs on the request's own event loop, where the response's callbacks run too: the transfer's
     * state is then only ever touched by that one thread.
     */
    Uni<Void> send(Path file, long offset, long length, HttpServerRequest request) {
        HttpServerResponse response = request.response();
        Context context = request instanceof HttpServerRequestInternal internal ? internal.context() : null;
        return Uni.createFrom().deferred(() -> {
            // the copy is for HTTP/1.1 (the service serves nothing else); anything else is sent by Vert.x itself
            if (context == null || !context.isEventLoopContext() || response.streamId() != -1 || !takeSlot()) {
                return Uni.createFrom().completionStage(
                        () -> response.sendFile(file.toString(), offset, length).toCompletionStage());
            }
            return Uni.createFrom().completionStage(() -> context
                    .executeBlocking(() -> FileChannel.open(file, StandardOpenOption.READ), false)
                    .recover(failure -> {
                        free.incrementAndGet();
                        return Future.failedFuture(
                                new StorageUnavailable("the blob store could not open a blob", failure));
                    })
                    .compose(channel -> new Transfer(context, channel, offset, offset + length, response).start())
                    .toCompletionStage());
        });
    }

    private boolean takeSlot() {
        while (true) {
            int now = free.get();
            if (now == 0) {
                return false;
            }
            if (free.compareAndSet(now, now - 1)) {
                return true;
            }
        }
    }

    /**
     * One response's copy: read a chunk, write it, and once it is written read the next into the same buffer. At most
     * one load or write is under way; a transfer that ends meanwhile (the client went away) lets go of its buffer only
     * when that one is over, so that no one writes from memory the pool has handed to someone else.
     */
    private final class Transfer {
        private final Context context;
        private final FileChannel channel;
        private final long end;
        private final HttpServerResponse response;
        private final ByteBuf buffer;
        private final Promise<Void> done = Promise.promise();
        private long position;
        /** Up to where the file was found (or made) resident. */
        private long residentUntil;
        private boolean busy;
        private boolean over;
        private Throwable failure;

        Transfer(Context context, FileChannel channel, long position, long end, HttpServerResponse response) {
            this.context = context;
            this.channel = channel;
            this.position = position;
            this.residentUntil = position;
            this.end = end;
            this.response = response;
            this.buffer = PooledByteBufAllocator.DEFAULT.directBuffer((int) Math.min(CHUNK, Math.max(1, end - position)));
        }

        Future<Void> start() {
            // a client that goes away between two chunks is told only here
            response.exceptionHandler(failure -> finish(hungUp(failure)));
            next();
            return done.future();
        }

        private void next() {
            if (over) {
                return;
            }
            if (position >= end) {
                finish(null);
                return;
            }
            try {
                if (position >= residentUntil) {
                    long window = Math.min(WINDOW, end - position);
                    if (!resident(window)) {
                        load(window);
                        return;
                    }
                    residentUntil = position + window;
                }
                read(position, (int) Math.min(CHUNK, end - position));
            } catch (IOException | RuntimeException e) {
                finish(unreadable(e));
                return;
            }
            int length = buffer.readableBytes();
            busy = true;
            // Vert.x writes a view of the buffer and leaves it to its owner: this transfer, until it is over
            response.write(Buffer.buffer(buffer)).onComplete(written -> {
                if (settled(written.failed() ? hungUp(written.cause()) : null)) {
                    position += length;
                    // not from inside this callback: it may run while Netty flushes, and a write made there can stay
                    // unflushed for good (measured: 1 pull in 2 stalled with 32 KiB chunks)
                    context.runOnContext(v -> next());
                }
            });
        }

        /**
         * Has a worker read the next {@code window} bytes, which brings them into the page cache, then goes on. The
         * bytes pass through this transfer's buffer (free meanwhile) and are read again on the event loop: a copy
         * costs less than mapping the pages in one fault at a time ({@link MappedByteBuffer#load()}, measured).
         */
        private void load(long window) {
            busy = true;
            long from = position;
            context.executeBlocking(() -> {
                for (long at = from; at < from + window; at += buffer.capacity()) {
                    read(at, (int) Math.min(buffer.capacity(), from + window - at));
                }
                return null;
            }, false).onComplete(loaded -> {
                if (settled(loaded.failed() ? unreadable(loaded.cause()) : null)) {
                    residentUntil = from + window;
                    next();
                }
            });
        }

        /** Whether every page of the next {@code window} bytes is in the page cache (asked with them mapped). */
        private boolean resident(long window) throws IOException {
            MappedByteBuffer pages = channel.map(FileChannel.MapMode.READ_ONLY, position, window);
            try {
                return residence.test(pages);
            } finally {
                // unmapped now, not when the collector finds it (a mapping keeps a deleted blob's disk space)
                PlatformDependent.freeDirectBuffer(pages);
            }
        }

        /** Reads {@code length} bytes from {@code at} into the buffer, in place of what it held. */
        private void read(long at, int length) throws IOException {
            buffer.clear();
            while (buffer.writerIndex() < length) {
                int read = buffer.writeBytes(channel, at + buffer.writerIndex(), length - buffer.writerIndex());
                if (read < 0) {
                    throw new IOException("the blob ended " + (end - at - buffer.writerIndex()) + " bytes early");
                }
            }
        }

        /** A load or write is over; whether the transfer goes on. */
        private boolean settled(Throwable cause) {
            busy = false;
            if (over) {
                release();
                return false;
            }
            if (cause != null) {
                finish(cause);
                return false;
            }
            return true;
        }

        private void finish(Throwable cause) {
            if (over) {
                return;
            }
            over = true;
            failure = cause;
            if (!busy) {
                release();
            }
        }

        /** A write that failed: the connection is gone (reset, broken pipe, closed), the client's doing. */
        private static Throwable hungUp(Throwable cause) {
            return cause instanceof io.vertx.core.http.HttpClosedException ? cause
                    : new io.vertx.core.http.HttpClosedException("the client went away: " + cause);
        }

        private static Throwable unreadable(Throwable cause) {
            return new StorageUnavailable("the blob store could not read a blob", cause);
        }

        private void release() {
            buffer.release();
            free.incrementAndGet();
            // on a worker: the last close of a blob the reclaimer has unlinked meanwhile frees its disk space, which
            // the file system does in that call (a review's remark); read-only, closing cannot lose anything
            context.executeBlocking(() -> {
                channel.close();
                return null;
            }, false);
            if (failure != null) {
                done.fail(failure);
            } else {
                response.end().onComplete(done);
            }
        }
    }
}
