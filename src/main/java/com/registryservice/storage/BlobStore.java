package com.registryservice.storage;

import java.util.Optional;
import java.util.function.Consumer;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;

/**
 * Where blob bytes live: a content-addressed store (keys name digests) with a temporary area for uploads in
 * progress. Bytes flow as streams with back-pressure in both directions; nothing is read whole into memory. One
 * implementation per backend; every implementation passes {@code BlobStoreContract}.
 */
public interface BlobStore {

    /**
     * Appends {@code data} to the upload's temporary bytes, which must hold exactly {@code offset} bytes; each buffer
     * is shown to {@code observer} (the digest being computed) as it passes.
     *
     * @return the upload's size after the append
     */
    Uni<Long> append(String upload, long offset, ReadStream<Buffer> data, Consumer<Buffer> observer);

    /** Streams the upload's temporary bytes (to compute a digest that was not kept, say). */
    Uni<Void> readUpload(String upload, WriteStream<Buffer> to);

    /** Moves the finished upload into place under {@code key}; when the key holds the same bytes already, drops it. */
    Uni<Void> commit(String upload, String key);

    /** Forgets an upload's temporary bytes; nothing when there are none. */
    Uni<Void> deleteUpload(String upload);

    /** The size of the blob under {@code key}; empty when the store does not hold it. */
    Uni<Optional<Long>> size(String key);

    /** Streams {@code length} bytes of the blob from {@code offset} to {@code to}, and ends it. */
    Uni<Void> read(String key, long offset, long length, WriteStream<Buffer> to);

    /**
     * Sends {@code length} bytes of the blob from {@code offset} as the response's body, and ends it. A store whose
     * blobs are local files sends them without copying them through the JVM (sendfile); the default streams them.
     */
    default Uni<Void> send(String key, long offset, long length, HttpServerResponse response) {
        return read(key, offset, length, response);
    }

    /** Deletes the blob; nothing when it is not there. */
    Uni<Void> delete(String key);

    /** Deletes every blob and upload whose key starts with {@code prefix + "/"}; nothing when there are none. */
    Uni<Void> deleteAll(String prefix);
}
