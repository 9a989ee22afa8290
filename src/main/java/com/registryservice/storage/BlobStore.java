package com.registryservice.storage;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;

/**
 * Where blob bytes live: a content-addressed store (keys name digests) with a temporary area for uploads in
 * progress. Bytes flow as streams with back-pressure in both directions; nothing is read whole into memory. An
 * upload's progress is an {@link UploadState} the caller keeps (in PostgreSQL, with the upload), so that any instance
 * can continue an upload another one started. One implementation per backend; every implementation passes
 * {@code BlobStoreContract}. A store that cannot be reached fails with {@link StorageUnavailable}.
 */
public interface BlobStore {

    /**
     * How far an upload has come: its size, and the store's own note of where its bytes are (opaque to the caller,
     * empty for a store that needs none).
     */
    record UploadState(long size, String note) {
        public static final UploadState EMPTY = new UploadState(0, "");
    }

    /**
     * Appends {@code data} to the upload, whose bytes so far are {@code at}; each buffer is shown to
     * {@code observer} (the digest being computed) as it passes.
     *
     * @return the upload's state after the append, to be passed to the next call
     */
    Uni<UploadState> append(String upload, UploadState at, ReadStream<Buffer> data, Consumer<Buffer> observer);

    /**
     * Makes the upload's bytes one whole, readable by {@link #readUpload} and ready for {@link #commit}. Sealing an
     * upload that is sealed already does nothing.
     */
    Uni<Void> seal(String upload, UploadState at);

    /** Streams a sealed upload's bytes (to compute a digest that was not kept, say), and ends the stream. */
    Uni<Void> readUpload(String upload, WriteStream<Buffer> to);

    /**
     * Puts the sealed upload's bytes in place under {@code key} (when the key holds the same bytes already, nothing).
     * What is left of the upload is for {@link #deleteUpload}, once the blob is recorded.
     */
    Uni<Void> commit(String upload, String key);

    /** Forgets an upload's bytes, finished or not; nothing when there are none. */
    Uni<Void> deleteUpload(String upload);

    /** The size of the blob under {@code key}; empty when the store does not hold it. */
    Uni<Optional<Long>> size(String key);

    /** Streams {@code length} bytes of the blob from {@code offset} to {@code to}, and ends it. */
    Uni<Void> read(String key, long offset, long length, WriteStream<Buffer> to);

    /**
     * Sends {@code length} bytes of the blob from {@code offset} as the body of the request's answer, and ends it. A
     * store whose blobs are local files sends them from the page cache ({@link FileCopySender}); the default streams
     * them.
     */
    default Uni<Void> send(String key, long offset, long length, HttpServerRequest request) {
        return read(key, offset, length, request.response());
    }

    /**
     * Where a client may fetch the blob itself, bypassing the service (a pre-signed URL of an object store), when
     * the store is set to hand those out; empty otherwise.
     */
    default Uni<Optional<String>> directUrl(String key) {
        return Uni.createFrom().item(Optional.empty());
    }

    /** Deletes the blobs; nothing for those that are not there. */
    Uni<Void> delete(List<String> keys);

    /** Deletes every blob and upload whose key starts with {@code prefix + "/"}; nothing when there are none. */
    Uni<Void> deleteAll(String prefix);
}
