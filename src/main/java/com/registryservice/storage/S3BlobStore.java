package com.registryservice.storage;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import com.registryservice.api.ErrorText;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Blob bytes in S3-compatible object storage, through the AWS SDK's asynchronous client. Layout under the bucket's
 * prefix: {@code blobs/<registry>/<algorithm>/<xx>/<hex>} holds a blob; {@code uploads/<registry>/<upload>/} an
 * upload in progress: an S3 multipart upload to {@code data} whose parts are each exactly one part size, and the
 * bytes after the last whole part in a small {@code tail-…} object. The upload's state (the multipart upload's id,
 * its parts' ETags, the tail's name) travels in {@link UploadState#note()}, kept in PostgreSQL, so that any instance
 * continues an upload another one began. Sealing completes the multipart upload (the tail as its last part, copied
 * inside S3); committing copies {@code data} to the blob's key inside S3. No byte is written to a local disk; an
 * append holds at most one part in memory, within {@link PartBuffers}.
 */
public class S3BlobStore implements BlobStore {

    /** S3's smallest part but the last. */
    public static final long MIN_PART_SIZE = 5L * 1024 * 1024;
    /** S3's largest single copy; a larger object is copied part by part. */
    static final long MAX_SINGLE_COPY = 5L * 1024 * 1024 * 1024;
    private static final int DELETE_BATCH = 1000;
    /** The slowest an S3 may take a part's bytes (bytes a second) before the push answers 503: 1 MiB/s. */
    private static final long MIN_SEND_RATE = 1024 * 1024;
    /** Buffers of an object being read that may be on their way at once (each is what one socket read gave). */
    private static final int READ_WINDOW = 16;

    private final Vertx vertx;
    private final S3AsyncClient s3;
    private final Optional<S3Presigner> presigner;
    private final Duration urlLifetime;
    private final String bucket;
    private final String prefix;
    private final int partSize;
    private final long singleCopyLimit;
    private final long copyPartSize;
    private final Duration answerTimeout;
    private final PartBuffers buffers;

    /**
     * @param presigner when present, blob reads may be answered with a pre-signed URL valid for {@code urlLifetime}
     * @param bufferMemory the memory all part buffers may hold at once
     * @param answerTimeout how long a call S3 answers at once (no body to send, no copy to make) may wait for it
     */
    public S3BlobStore(Vertx vertx, S3AsyncClient s3, Optional<S3Presigner> presigner, Duration urlLifetime,
            String bucket, String prefix, int partSize, long bufferMemory, Duration answerTimeout) {
        this(vertx, s3, presigner, urlLifetime, bucket, prefix, partSize, bufferMemory, answerTimeout, MAX_SINGLE_COPY,
                1L << 30);
    }

    /** With the single-copy limit and the part size of a part-by-part copy chosen (tests reach them with little data). */
    S3BlobStore(Vertx vertx, S3AsyncClient s3, Optional<S3Presigner> presigner, Duration urlLifetime, String bucket,
            String prefix, int partSize, long bufferMemory, Duration answerTimeout, long singleCopyLimit,
            long copyPartSize) {
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("registry.storage.s3.part-size must be at least 5M (S3's smallest part)");
        }
        this.vertx = vertx;
        this.s3 = s3;
        this.presigner = presigner;
        this.urlLifetime = urlLifetime;
        this.bucket = bucket;
        this.prefix = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
        this.partSize = partSize;
        this.singleCopyLimit = singleCopyLimit;
        this.copyPartSize = copyPartSize;
        this.answerTimeout = answerTimeout;
        this.buffers = new PartBuffers((int) Math.max(1, bufferMemory / partSize));
    }

    private String blobKey(String key) {
        return prefix + "blobs/" + key;
    }

    private String uploadDir(String upload) {
        return prefix + "uploads/" + upload + "/";
    }

    private String dataKey(String upload) {
        return uploadDir(upload) + "data";
    }

    // --- uploads ----------------------------------------------------------------------------------------------

    /** Where an upload's bytes are: whole parts of {@code partSize} in multipart upload {@code id}, then a tail. */
    private static final class Note {
        final long partSize;
        String id;
        final List<String> parts;
        String tail;

        Note(long partSize, String id, List<String> parts, String tail) {
            this.partSize = partSize;
            this.id = id;
            this.parts = parts;
            this.tail = tail;
        }

        static Note of(String note, long partSize) {
            if (note == null || note.isEmpty()) {
                return new Note(partSize, null, new ArrayList<>(), null);
            }
            JsonObject json = new JsonObject(note);
            List<String> parts = new ArrayList<>();
            json.getJsonArray("parts", new JsonArray()).forEach(etag -> parts.add((String) etag));
            return new Note(json.getLong("partSize"), json.getString("id"), parts, json.getString("tail"));
        }

        long tailSize(long size) {
            return size - parts.size() * partSize;
        }

        String encode() {
            return new JsonObject().put("partSize", partSize).put("id", id).put("parts", new JsonArray(parts))
                    .put("tail", tail).encode();
        }
    }

    @Override
    public Uni<UploadState> append(String upload, UploadState at, ReadStream<Buffer> data, Consumer<Buffer> observer) {
        Note note = Note.of(at.note(), partSize);
        return Uni.createFrom().deferred(() -> {
            Context context = vertx.getOrCreateContext();
            CompletableFuture<Void> slot = buffers.acquire();
            return Uni.createFrom().completionStage(slot).onCancellation().invoke(() -> slot.cancel(false))
                    // on, from whichever request released the slot, in this request's context
                    .emitOn(task -> context.runOnContext(v -> task.run()))
                    .flatMap(v -> tailBytes(upload, note, at.size()))
                    .flatMap(tail -> {
                        PartWriter writer = new PartWriter(upload, note, context, observer, at.size());
                        writer.take(tail);
                        // a body that fails must not end the writer: that would save a part of it as the new tail
                        return Uni.createFrom().completionStage(() -> data.pipe().endOnFailure(false).to(writer)
                                .toCompletionStage())
                                .map(v -> new UploadState(writer.size, note.encode()))
                                // a part still on its way must land before anyone may send that part again
                                .onFailure().call(failure -> Uni.createFrom()
                                        .completionStage(() -> writer.settled().toCompletionStage()));
                    })
                    .onTermination().invoke(() -> {
                        if (slot.isDone() && !slot.isCancelled()) {
                            buffers.release();
                        }
                    });
        });
    }

    /** The bytes of the upload's tail, which the next part begins with. */
    private Uni<Buffer> tailBytes(String upload, Note note, long size) {
        if (note.tail == null || note.tailSize(size) == 0) {
            return Uni.createFrom().item(Buffer.buffer());
        }
        return call("read an upload's tail", () -> s3.getObject(r -> r.bucket(bucket).key(uploadDir(upload) + note.tail),
                AsyncResponseTransformer.toBytes())).map(bytes -> Buffer.buffer(bytes.asByteArrayUnsafe()));
    }

    /**
     * Gathers the bytes of one part at a time and sends it once whole (a part must have its length before it is
     * sent); while a part is on its way the request body waits. At the end, what is left becomes the new tail.
     */
    private final class PartWriter implements WriteStream<Buffer> {
        private final String upload;
        private final Note note;
        private final Context context;
        private final Consumer<Buffer> observer;
        private final List<ByteBuffer> part = new ArrayList<>();
        private long partBytes;
        private boolean sending;
        private Throwable failure;
        private Handler<Void> drain;
        private Promise<Void> ended;
        private Promise<Void> idle;
        long size;

        PartWriter(String upload, Note note, Context context, Consumer<Buffer> observer, long size) {
            this.upload = upload;
            this.note = note;
            this.context = context;
            this.observer = observer;
            this.size = size - note.tailSize(size);
        }

        /** Takes bytes that are the upload's already (the old tail): not shown to the observer. */
        void take(Buffer bytes) {
            if (bytes.length() > 0) {
                part.add(bytes.getByteBuf().nioBuffer());
                partBytes += bytes.length();
                size += bytes.length();
            }
        }

        @Override
        public Future<Void> write(Buffer data) {
            if (failure != null) {
                return Future.failedFuture(failure);
            }
            observer.accept(data);
            part.add(data.getByteBuf().nioBuffer());
            partBytes += data.length();
            size += data.length();
            if (!sending && partBytes >= note.partSize) {
                sendPart();
            }
            return Future.succeededFuture();
        }

        /** Sends the first part-size bytes gathered as the next part; parts go one after the other. */
        private void sendPart() {
            List<ByteBuffer> bytes = new ArrayList<>();
            long length = 0;
            while (length < note.partSize) {
                ByteBuffer first = part.get(0);
                int take = (int) Math.min(first.remaining(), note.partSize - length);
                if (take == first.remaining()) {
                    bytes.add(part.remove(0));
                } else {
                    // slices, not positions: the SDK reads a body from each buffer's start (it rewinds to retry)
                    ByteBuffer piece = first.duplicate();
                    piece.limit(piece.position() + take);
                    bytes.add(piece.slice());
                    ByteBuffer rest = first.duplicate();
                    rest.position(rest.position() + take);
                    part.set(0, rest.slice());
                }
                length += take;
            }
            partBytes -= length;
            long partLength = length;
            sending = true;
            int number = note.parts.size() + 1;
            multipartUpload().flatMap(id -> call("upload a part", sending(partLength), () -> s3.uploadPart(
                    r -> r.bucket(bucket).key(dataKey(upload)).uploadId(id).partNumber(number).contentLength(partLength),
                    AsyncRequestBody.fromByteBuffersUnsafe(bytes.toArray(ByteBuffer[]::new)))))
                    .subscribe().with(response -> context.runOnContext(v -> {
                        note.parts.add(response.eTag());
                        sent(null);
                    }), error -> context.runOnContext(v -> sent(error)));
        }

        /** Stops sending (the request failed) and completes once no part is on its way (at once when none is). */
        Future<Void> settled() {
            if (failure == null) {
                failure = new StorageUnavailable("the upload's request ended early", null);
            }
            if (!sending) {
                return Future.succeededFuture();
            }
            if (idle == null) {
                idle = Promise.promise();
            }
            return idle.future();
        }

        private void sent(Throwable error) {
            sending = false;
            if (idle != null) {
                idle.tryComplete();
            }
            if (error != null && failure == null) {
                failure = error;
            }
            if (failure == null && partBytes >= note.partSize) {
                sendPart();
                return;
            }
            if (ended != null) {
                finish();
            } else if (drain != null) {
                Handler<Void> handler = drain;
                drain = null;
                handler.handle(null);
            }
        }

        private Uni<String> multipartUpload() {
            if (note.id != null) {
                return Uni.createFrom().item(note.id);
            }
            return answer("start a multipart upload", () -> s3.createMultipartUpload(r -> r.bucket(bucket)
                    .key(dataKey(upload)))).map(response -> note.id = response.uploadId());
        }

        @Override
        public void end(Handler<AsyncResult<Void>> handler) {
            ended = Promise.promise();
            ended.future().onComplete(handler);
            if (!sending) {
                finish();
            }
        }

        /** After the last part: the bytes left become the new tail, and the old tail goes. */
        private void finish() {
            if (failure != null) {
                ended.tryFail(failure);
                return;
            }
            Uni<Void> tail;
            if (partBytes == 0) {
                note.tail = null;
                tail = Uni.createFrom().voidItem();
            } else {
                note.tail = "tail-" + UUID.randomUUID();
                long length = partBytes;
                List<ByteBuffer> bytes = new ArrayList<>(part);
                tail = call("store an upload's tail", sending(length), () -> s3.putObject(r -> r.bucket(bucket)
                        .key(uploadDir(upload) + note.tail).contentLength(length),
                        AsyncRequestBody.fromByteBuffersUnsafe(bytes.toArray(ByteBuffer[]::new)))).replaceWithVoid();
            }
            // the old tail stays until the upload goes (deleteUpload): the saved state may still name it
            tail.subscribe().with(v -> context.runOnContext(x -> ended.tryComplete()),
                            error -> context.runOnContext(x -> ended.tryFail(error)));
        }

        @Override
        public void write(Buffer data, Handler<AsyncResult<Void>> handler) {
            write(data).onComplete(handler);
        }

        @Override
        public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
            return this;
        }

        @Override
        public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
            return this;
        }

        @Override
        public boolean writeQueueFull() {
            return sending || partBytes >= note.partSize;
        }

        @Override
        public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
            this.drain = handler;
            return this;
        }
    }

    @Override
    public Uni<Void> seal(String upload, UploadState at) {
        Note note = Note.of(at.note(), partSize);
        return objectSize(dataKey(upload)).flatMap(sealed -> {
            if (sealed.isPresent() && sealed.get() == at.size()) {
                return Uni.createFrom().voidItem();
            }
            boolean hasTail = note.tail != null && note.tailSize(at.size()) > 0;
            String tail = hasTail ? uploadDir(upload) + note.tail : null;
            if (note.id == null) {
                return hasTail ? copy(tail, dataKey(upload))
                        : answer("seal an empty upload", () -> s3.putObject(r -> r.bucket(bucket).key(dataKey(upload)),
                                AsyncRequestBody.empty())).replaceWithVoid();
            }
            List<CompletedPart> parts = new ArrayList<>();
            for (int i = 0; i < note.parts.size(); i++) {
                parts.add(CompletedPart.builder().partNumber(i + 1).eTag(note.parts.get(i)).build());
            }
            Uni<Void> last = !hasTail ? Uni.createFrom().voidItem()
                    : call("copy an upload's tail as its last part", () -> s3.uploadPartCopy(r -> r
                            .sourceBucket(bucket).sourceKey(tail).destinationBucket(bucket)
                            .destinationKey(dataKey(upload)).uploadId(note.id).partNumber(parts.size() + 1)))
                            .invoke(response -> parts.add(CompletedPart.builder().partNumber(parts.size() + 1)
                                    .eTag(response.copyPartResult().eTag()).build()))
                            .replaceWithVoid();
            return last.flatMap(v -> call("complete a multipart upload", () -> s3.completeMultipartUpload(r -> r
                    .bucket(bucket).key(dataKey(upload)).uploadId(note.id)
                    .multipartUpload(m -> m.parts(parts))))).replaceWithVoid();
        });
    }

    @Override
    public Uni<Void> readUpload(String upload, WriteStream<Buffer> to) {
        return stream(dataKey(upload), null, to);
    }

    @Override
    public Uni<Void> commit(String upload, String key) {
        String target = blobKey(key);
        return objectSize(target).flatMap(existing -> existing.isPresent() ? Uni.createFrom().voidItem()
                : objectSize(dataKey(upload)).flatMap(size -> size.orElse(0L) <= singleCopyLimit
                        ? copy(dataKey(upload), target)
                        : copyInParts(dataKey(upload), target, size.get())));
    }

    private Uni<Void> copy(String from, String to) {
        return call("copy an object", () -> s3.copyObject(r -> r.sourceBucket(bucket).sourceKey(from)
                .destinationBucket(bucket).destinationKey(to))).replaceWithVoid();
    }

    /** Copies an object too large for one copy (over 5 GiB) as a multipart upload of ranges, inside S3. */
    private Uni<Void> copyInParts(String from, String to, long size) {
        return answer("start a multipart copy", () -> s3.createMultipartUpload(r -> r.bucket(bucket).key(to)))
                .flatMap(created -> copyParts(from, to, created.uploadId(), size, 0, new ArrayList<>())
                        .flatMap(parts -> call("complete a multipart copy", () -> s3.completeMultipartUpload(r -> r
                                .bucket(bucket).key(to).uploadId(created.uploadId())
                                .multipartUpload(m -> m.parts(parts)))))
                        .onFailure().call(e -> answer("abort a multipart copy", () -> s3.abortMultipartUpload(r -> r
                                .bucket(bucket).key(to).uploadId(created.uploadId()))).onFailure().recoverWithNull()))
                .replaceWithVoid();
    }

    private Uni<List<CompletedPart>> copyParts(String from, String to, String id, long size, long offset,
            List<CompletedPart> parts) {
        if (offset >= size) {
            return Uni.createFrom().item(parts);
        }
        long end = Math.min(size, offset + copyPartSize) - 1;
        int number = parts.size() + 1;
        return call("copy a part", () -> s3.uploadPartCopy(r -> r.sourceBucket(bucket).sourceKey(from)
                .destinationBucket(bucket).destinationKey(to).uploadId(id).partNumber(number)
                .copySourceRange("bytes=" + offset + "-" + end)))
                .flatMap(response -> {
                    parts.add(CompletedPart.builder().partNumber(number).eTag(response.copyPartResult().eTag()).build());
                    return copyParts(from, to, id, size, end + 1, parts);
                });
    }

    @Override
    public Uni<Void> deleteUpload(String upload) {
        return deletePrefix(uploadDir(upload)).flatMap(v -> abortUploads(uploadDir(upload)));
    }

    // --- blobs ------------------------------------------------------------------------------------------------

    @Override
    public Uni<Optional<Long>> size(String key) {
        return objectSize(blobKey(key));
    }

    private Uni<Optional<Long>> objectSize(String objectKey) {
        return answer("look up an object", () -> s3.headObject(r -> r.bucket(bucket).key(objectKey)))
                .map(head -> Optional.of(head.contentLength()))
                .onFailure(S3BlobStore::notFound).recoverWithItem(Optional.empty());
    }

    @Override
    public Uni<Void> read(String key, long offset, long length, WriteStream<Buffer> to) {
        if (length == 0) {
            return Uni.createFrom().completionStage(() -> to.end().toCompletionStage());
        }
        return stream(blobKey(key), "bytes=" + offset + "-" + (offset + length - 1), to);
    }

    /** Whether S3 answers for the bucket (it exists and the keys may use it) within the answer timeout. */
    public Uni<Void> bucketAnswers() {
        return answer("look up the bucket", () -> s3.headBucket(r -> r.bucket(bucket))).replaceWithVoid();
    }

    @Override
    public Uni<Optional<String>> directUrl(String key) {
        return Uni.createFrom().item(presigner.map(signer -> signer.presignGetObject(r -> r
                .signatureDuration(urlLifetime).getObjectRequest(g -> g.bucket(bucket).key(blobKey(key))))
                .url().toString()));
    }

    @Override
    public Uni<Void> delete(List<String> keys) {
        if (keys.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<String> objects = keys.stream().map(this::blobKey).toList();
        return deleteObjects(objects);
    }

    @Override
    public Uni<Void> deleteAll(String registryPrefix) {
        return deletePrefix(prefix + "blobs/" + registryPrefix + "/")
                .flatMap(v -> deletePrefix(prefix + "uploads/" + registryPrefix + "/"))
                .flatMap(v -> abortUploads(prefix + "uploads/" + registryPrefix + "/"));
    }

    /** Deletes objects with one {@code DeleteObjects} per thousand; fails when S3 reports any key it could not. */
    private Uni<Void> deleteObjects(List<String> objectKeys) {
        if (objectKeys.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<String> batch = objectKeys.subList(0, Math.min(DELETE_BATCH, objectKeys.size()));
        List<ObjectIdentifier> ids = batch.stream().map(k -> ObjectIdentifier.builder().key(k).build()).toList();
        return answer("delete objects", () -> s3.deleteObjects(r -> r.bucket(bucket).delete(d -> d.objects(ids).quiet(true))))
                .map(response -> {
                    if (response.hasErrors() && !response.errors().isEmpty()) {
                        throw new StorageUnavailable("object storage could not delete " + response.errors().size()
                                + " objects, " + response.errors().get(0).key() + " first: "
                                + response.errors().get(0).message(), null);
                    }
                    return response;
                })
                .flatMap(v -> deleteObjects(objectKeys.subList(batch.size(), objectKeys.size())));
    }

    private Uni<Void> deletePrefix(String objectPrefix) {
        return answer("list objects", () -> s3.listObjectsV2(r -> r.bucket(bucket).prefix(objectPrefix)))
                .flatMap(page -> deleteObjects(page.contents().stream().map(S3Object::key).toList())
                        .flatMap(v -> Boolean.TRUE.equals(page.isTruncated()) ? deletePrefix(objectPrefix)
                                : Uni.createFrom().voidItem()));
    }

    /** Aborts the multipart uploads under the prefix (an abandoned upload's parts are stored until then). */
    private Uni<Void> abortUploads(String objectPrefix) {
        return answer("list multipart uploads", () -> s3.listMultipartUploads(r -> r.bucket(bucket).prefix(objectPrefix)))
                .flatMap(page -> abort(page.uploads(), 0).flatMap(v -> more(page)
                        ? abortUploads(objectPrefix) : Uni.createFrom().voidItem()));
    }

    private static boolean more(ListMultipartUploadsResponse page) {
        return Boolean.TRUE.equals(page.isTruncated()) && !page.uploads().isEmpty();
    }

    private Uni<Void> abort(List<MultipartUpload> uploads, int i) {
        if (i >= uploads.size()) {
            return Uni.createFrom().voidItem();
        }
        MultipartUpload upload = uploads.get(i);
        return answer("abort a multipart upload", () -> s3.abortMultipartUpload(r -> r.bucket(bucket).key(upload.key())
                .uploadId(upload.uploadId())))
                .onFailure(S3BlobStore::notFound).recoverWithNull()
                .flatMap(v -> abort(uploads, i + 1));
    }

    // --- plumbing ---------------------------------------------------------------------------------------------

    /**
     * One S3 call, started when subscribed to; its outcome comes back on the caller's Vert.x context (the SDK
     * completes on its own threads), and a failure of S3 itself becomes {@link StorageUnavailable}.
     */
    private <T> Uni<T> call(String what, Supplier<CompletableFuture<T>> request) {
        return call(what, null, request);
    }

    /**
     * A call S3 answers at once (no body to send, no copy to make; for a read, until its bytes begin): a hung S3 is
     * {@link StorageUnavailable} after {@code answerTimeout}, where the SDK's own timeouts (30 s an attempt, four
     * attempts) outlast the client's connection. Calls that send bytes are bounded by {@link #sending}; copies are
     * left to the SDK (an S3 may stay silent for long while it copies), and so is a read once its bytes flow (a read
     * held back by a slow client is not S3's silence).
     */
    private <T> Uni<T> answer(String what, Supplier<CompletableFuture<T>> request) {
        return call(what, answerTimeout, request);
    }

    /**
     * The bound of a call that sends {@code bytes}: the answer timeout plus their time at {@link #MIN_SEND_RATE}, so
     * that a push to a hung S3 is a 503 before the client's connection times out, and one to a working S3 never is.
     */
    private Duration sending(long bytes) {
        return answerTimeout.plusMillis(bytes * 1000 / MIN_SEND_RATE);
    }

    private <T> Uni<T> call(String what, Duration within, Supplier<CompletableFuture<T>> request) {
        return Uni.createFrom().deferred(() -> {
            Context context = Vertx.currentContext();
            Uni<T> answer = Uni.createFrom().completionStage(request);
            if (within != null) {
                answer = answer.ifNoItem().after(within).failWith(() -> new StorageUnavailable("object storage did"
                        + " not answer within " + ErrorText.duration(within) + " to " + what, null));
            }
            return context == null ? answer : answer.emitOn(task -> context.runOnContext(v -> task.run()));
        }).onFailure().transform(failure -> unavailable(what, failure));
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    private static boolean notFound(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof StorageUnavailable && cause.getCause() != null) {
            cause = unwrap(cause.getCause());
        }
        return cause instanceof NoSuchKeyException
                || cause instanceof S3Exception s3 && s3.statusCode() == 404;
    }

    private static Throwable unavailable(String what, Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof SdkException) {
            if (!notFound(cause)) {
                Log.warnf("Object storage failed to %s: %s", what, cause.getMessage());
            }
            return new StorageUnavailable("object storage failed to " + what + ": " + cause.getMessage(), cause);
        }
        return cause;
    }

    /** Streams an object (or a range of it) to {@code to} as S3 sends it, with back-pressure, and ends it. */
    private Uni<Void> stream(String objectKey, String range, WriteStream<Buffer> to) {
        return answer("read an object", () -> s3.getObject(r -> r.bucket(bucket).key(objectKey).range(range),
                AsyncResponseTransformer.<GetObjectResponse>toPublisher()))
                .flatMap(publisher -> Uni.createFrom().<Void>emitter(emitter -> {
                    Context context = vertx.getOrCreateContext();
                    publisher.subscribe(new Subscriber<ByteBuffer>() {
                        private Subscription subscription;
                        /** Buffers asked of S3 and not yet written (touched on the context only). */
                        private int asked;

                        @Override
                        public void onSubscribe(Subscription s) {
                            subscription = s;
                            emitter.onTermination(s::cancel);
                            context.runOnContext(v -> askMore());
                        }

                        /** Keeps a window of buffers on their way, so that S3 and the client both stay busy. */
                        private void askMore() {
                            int more = READ_WINDOW - asked;
                            if (more >= READ_WINDOW / 2) {
                                asked += more;
                                subscription.request(more);
                            }
                        }

                        @Override
                        public void onNext(ByteBuffer bytes) {
                            // the SDK hands each buffer over (it copied it out of its connection's)
                            Buffer chunk = Buffer.buffer(io.netty.buffer.Unpooled.wrappedBuffer(bytes));
                            context.runOnContext(v -> {
                                asked--;
                                to.write(chunk).onFailure(error -> {
                                    subscription.cancel();
                                    emitter.fail(error);
                                });
                                if (to.writeQueueFull()) {
                                    to.drainHandler(x -> askMore());
                                } else {
                                    askMore();
                                }
                            });
                        }
                        @Override
                        public void onError(Throwable error) {
                            // a reset or timeout mid-stream is the store's failure too, whatever its type
                            Throwable cause = unavailable("read an object", error);
                            context.runOnContext(v -> emitter.fail(cause instanceof StorageUnavailable ? cause
                                    : new StorageUnavailable("object storage failed while sending an object: "
                                            + error.getMessage(), error)));
                        }

                        @Override
                        public void onComplete() {
                            context.runOnContext(v -> to.end().onComplete(ar -> {
                                if (ar.succeeded()) {
                                    emitter.complete(null);
                                } else {
                                    emitter.fail(ar.cause());
                                }
                            }));
                        }
                    });
                }));
    }

}
