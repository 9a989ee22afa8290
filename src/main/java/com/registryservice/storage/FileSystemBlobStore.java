package com.registryservice.storage;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.FileSystem;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;

/**
 * The default blob store: a directory ({@code registry.storage.path}) on Vert.x's asynchronous file system. An
 * upload is a file under {@code uploads/}; a finished one is linked (a hard link, atomic on one file system) as
 * {@code blobs/<key>}, so a blob is either whole or absent, and the upload's name goes when the upload is forgotten.
 */
public class FileSystemBlobStore implements BlobStore {

    /** Bytes read from a file at a time when streaming it (Vert.x reads 8 KiB by default: many more round trips). */
    private static final int READ_BUFFER = 64 * 1024;

    private final FileCopySender sender;
    private final FileSystem fs;
    private final Path blobs;
    private final Path uploads;

    public FileSystemBlobStore(Vertx vertx, Path directory) {
        this.sender = new FileCopySender(vertx);
        this.fs = vertx.fileSystem();
        Path root = directory.toAbsolutePath();
        this.blobs = root.resolve("blobs");
        this.uploads = root.resolve("uploads");
    }

    @Override
    public Uni<UploadState> append(String upload, UploadState at, ReadStream<Buffer> data, Consumer<Buffer> observer) {
        Path path = uploads.resolve(upload);
        String file = path.toString();
        long offset = at.size();
        return uni(() -> fs.mkdirs(path.getParent().toString())
                .compose(v -> fs.open(file, new OpenOptions().setWrite(true).setCreate(true).setTruncateExisting(false)))
                // bytes past the upload's size are what a failed request left: they are not part of it
                .compose(out -> fs.truncate(file, offset).map(out))
                .compose(out -> {
                    out.setWritePos(offset);
                    // on a broken request the pipe leaves the file open, and it is closed once, here: the request's
                    // failure is what the caller sees, not one of closing the file twice
                    return data.pipe().endOnFailure(false).to(new Observed(out, observer))
                            .map(v -> new UploadState(out.getWritePos(), ""))
                            .recover(failure -> out.close().transform(ignored -> Future.failedFuture(failure)));
                }));
    }

    /** An upload is one file from its first byte: nothing to do. */
    @Override
    public Uni<Void> seal(String upload, UploadState at) {
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<Void> readUpload(String upload, WriteStream<Buffer> to) {
        String file = uploads.resolve(upload).toString();
        return uni(() -> fs.exists(file).compose(exists -> !exists ? to.end()
                : fs.open(file, new OpenOptions().setRead(true)).compose(in -> in.setReadBufferSize(READ_BUFFER).pipeTo(to))));
    }

    @Override
    public Uni<Void> commit(String upload, String key) {
        Path target = blobs.resolve(key);
        String source = uploads.resolve(upload).toString();
        return uni(() -> fs.exists(source).compose(exists -> !exists
                // an empty upload that never received a byte
                ? fs.mkdirs(target.getParent().toString()).compose(v -> fs.writeFile(target.toString(), Buffer.buffer()))
                // a hard link, not a move: the upload keeps its bytes until it is forgotten, so a push whose record
                // fails after this can be finished again; bytes already under the key are the same bytes (and no
                // removal of them is under way: the caller holds their lock)
                : fs.mkdirs(target.getParent().toString())
                        .compose(v -> fs.exists(target.toString()))
                        .compose(present -> present ? Future.<Void>succeededFuture()
                                : fs.link(target.toString(), source))));
    }

    @Override
    public Uni<Void> deleteUpload(String upload) {
        String file = uploads.resolve(upload).toString();
        return uni(() -> fs.exists(file).compose(exists -> exists ? fs.delete(file) : Future.succeededFuture()));
    }

    @Override
    public Uni<Optional<Long>> size(String key) {
        String file = blobs.resolve(key).toString();
        return uni(() -> fs.exists(file).compose(exists -> !exists ? Future.succeededFuture(Optional.<Long>empty())
                : fs.props(file).map(props -> Optional.of(props.size()))));
    }

    @Override
    public Uni<Void> read(String key, long offset, long length, WriteStream<Buffer> to) {
        return uni(() -> fs.open(blobs.resolve(key).toString(), new OpenOptions().setRead(true))
                .compose(in -> in.setReadBufferSize(READ_BUFFER).setReadPos(offset).setReadLength(length).pipeTo(to)));
    }

    @Override
    public Uni<Void> send(String key, long offset, long length, HttpServerRequest request) {
        return sender.send(blobs.resolve(key), offset, length, request);
    }

    @Override
    public Uni<Void> delete(List<String> keys) {
        return Multi.createFrom().iterable(keys).onItem().transformToUniAndMerge(key -> {
            String file = blobs.resolve(key).toString();
            return uni(() -> fs.exists(file).compose(exists -> exists ? fs.delete(file) : Future.succeededFuture()));
        }).collect().last().replaceWithVoid();
    }

    @Override
    public Uni<Void> deleteAll(String prefix) {
        return deleteTree(blobs.resolve(prefix).toString()).flatMap(v -> deleteTree(uploads.resolve(prefix).toString()));
    }

    private Uni<Void> deleteTree(String dir) {
        return uni(() -> fs.exists(dir).compose(exists -> exists ? fs.deleteRecursive(dir, true) : Future.succeededFuture()));
    }

    /** Starts the file-system work only when the Uni is subscribed to, as a Uni should. */
    private static <T> Uni<T> uni(java.util.function.Supplier<Future<T>> work) {
        return Uni.createFrom().completionStage(() -> work.get().toCompletionStage());
    }

    /** Shows each buffer to the observer on its way into the file; back-pressure is the file's. */
    private static final class Observed implements WriteStream<Buffer> {
        private final AsyncFile out;
        private final Consumer<Buffer> observer;

        Observed(AsyncFile out, Consumer<Buffer> observer) {
            this.out = out;
            this.observer = observer;
        }

        @Override
        public WriteStream<Buffer> exceptionHandler(io.vertx.core.Handler<Throwable> handler) {
            out.exceptionHandler(handler);
            return this;
        }

        @Override
        public Future<Void> write(Buffer data) {
            observer.accept(data);
            return out.write(data);
        }

        @Override
        public void write(Buffer data, io.vertx.core.Handler<io.vertx.core.AsyncResult<Void>> handler) {
            write(data).onComplete(handler);
        }

        @Override
        public void end(io.vertx.core.Handler<io.vertx.core.AsyncResult<Void>> handler) {
            out.end(handler);
        }

        @Override
        public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
            out.setWriteQueueMaxSize(maxSize);
            return this;
        }

        @Override
        public boolean writeQueueFull() {
            return out.writeQueueFull();
        }

        @Override
        public WriteStream<Buffer> drainHandler(io.vertx.core.Handler<Void> handler) {
            out.drainHandler(handler);
            return this;
        }
    }
}
