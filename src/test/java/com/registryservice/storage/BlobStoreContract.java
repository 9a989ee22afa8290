package com.registryservice.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;

/**
 * What every {@link BlobStore} promises, run against each implementation (the directory store now, S3 later), as
 * CNCF distribution runs one suite against every storage driver. Subclasses say how to make a store.
 */
public abstract class BlobStoreContract {

    private static final Duration WAIT = Duration.ofSeconds(30);

    protected Vertx vertx;
    protected Path scratch;
    private BlobStore store;

    /** A fresh, empty store. */
    protected abstract BlobStore createStore() throws Exception;

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        scratch = Files.createTempDirectory("blobstore-contract");
        store = createStore();
    }

    @AfterEach
    void tearDown() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private static <T> T await(Uni<T> uni) {
        return uni.await().atMost(WAIT);
    }

    private static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    /** The bytes as a stream, as a request body would be. */
    private ReadStream<Buffer> stream(byte[] data) throws Exception {
        Path file = Files.write(scratch.resolve(UUID.randomUUID().toString()), data);
        return vertx.fileSystem().open(file.toString(), new OpenOptions().setRead(true)).toCompletionStage()
                .toCompletableFuture().join();
    }

    private byte[] read(String key, long offset, long length) {
        Collector out = new Collector();
        await(store.read(key, offset, length, out));
        return out.bytes.getBytes();
    }

    private static String uploadKey() {
        return "registry-" + UUID.randomUUID() + "/" + UUID.randomUUID();
    }

    @Test
    void chunksAppendInOrderPassingEveryByteToTheObserverAndCommitUnderTheKey() throws Exception {
        byte[] data = random(300_000, 1);
        String upload = uploadKey();
        MessageDigest seen = MessageDigest.getInstance("SHA-256");
        assertEquals(100_000L, await(store.append(upload, 0, stream(Arrays.copyOfRange(data, 0, 100_000)),
                b -> seen.update(b.getBytes()))));
        assertEquals(300_000L, await(store.append(upload, 100_000, stream(Arrays.copyOfRange(data, 100_000, 300_000)),
                b -> seen.update(b.getBytes()))));
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(data), seen.digest(), "the observer saw it all");
        Collector uploaded = new Collector();
        await(store.readUpload(upload, uploaded));
        assertArrayEquals(data, uploaded.bytes.getBytes());

        String key = upload.substring(0, upload.indexOf('/')) + "/sha256/ab/abcdef";
        await(store.commit(upload, key));
        assertEquals(Optional.of(300_000L), await(store.size(key)));
        assertArrayEquals(data, read(key, 0, data.length));
        assertArrayEquals(Arrays.copyOfRange(data, 1_000, 1_010), read(key, 1_000, 10), "a range");
    }

    @Test
    void anEmptyUploadCommitsAnEmptyBlobAndCommittingTheSameBytesAgainKeepsThem() throws Exception {
        String upload = uploadKey();
        String key = upload.substring(0, upload.indexOf('/')) + "/sha256/e3/empty";
        await(store.commit(upload, key));
        assertEquals(Optional.of(0L), await(store.size(key)));
        byte[] data = random(1_000, 2);
        String first = uploadKey();
        String blob = first.substring(0, first.indexOf('/')) + "/sha256/aa/same";
        await(store.append(first, 0, stream(data), b -> { }));
        await(store.commit(first, blob));
        String second = first.substring(0, first.indexOf('/')) + "/" + UUID.randomUUID();
        await(store.append(second, 0, stream(data), b -> { }));
        await(store.commit(second, blob));
        assertArrayEquals(data, read(blob, 0, data.length));
    }

    @Test
    void deletesAreIdempotentAndAbsentBlobsHaveNoSize() throws Exception {
        String upload = uploadKey();
        String key = upload.substring(0, upload.indexOf('/')) + "/sha256/de/gone";
        await(store.append(upload, 0, stream(random(10, 3)), b -> { }));
        await(store.deleteUpload(upload));
        await(store.deleteUpload(upload));
        await(store.commit(uploadKey(), key));
        await(store.delete(key));
        await(store.delete(key));
        assertEquals(Optional.empty(), await(store.size(key)));
    }

    @Test
    void deleteAllRemovesEveryBlobAndUploadUnderThePrefixAndNothingElse() throws Exception {
        String mine = "registry-" + UUID.randomUUID();
        String other = "registry-" + UUID.randomUUID();
        String upload = mine + "/" + UUID.randomUUID();
        await(store.append(upload, 0, stream(random(10, 4)), b -> { }));
        String otherUpload = other + "/" + UUID.randomUUID();
        await(store.append(otherUpload, 0, stream(random(10, 5)), b -> { }));
        await(store.commit(otherUpload, other + "/sha256/00/kept"));
        String committed = mine + "/" + UUID.randomUUID();
        await(store.append(committed, 0, stream(random(10, 6)), b -> { }));
        await(store.commit(committed, mine + "/sha256/00/dropped"));

        await(store.deleteAll(mine));
        await(store.deleteAll(mine));

        assertEquals(Optional.empty(), await(store.size(mine + "/sha256/00/dropped")));
        Collector left = new Collector();
        await(store.readUpload(upload, left));
        assertEquals(0, left.bytes.length(), "the upload's bytes are gone");
        assertTrue(await(store.size(other + "/sha256/00/kept")).isPresent(), "another prefix is untouched");
    }

    /** Collects what is written to it. */
    private static final class Collector implements WriteStream<Buffer> {
        final Buffer bytes = Buffer.buffer();

        @Override
        public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
            return this;
        }

        @Override
        public Future<Void> write(Buffer data) {
            bytes.appendBuffer(data);
            return Future.succeededFuture();
        }

        @Override
        public void write(Buffer data, Handler<AsyncResult<Void>> handler) {
            handler.handle(write(data));
        }

        @Override
        public void end(Handler<AsyncResult<Void>> handler) {
            handler.handle(Future.succeededFuture());
        }

        @Override
        public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
            return this;
        }

        @Override
        public boolean writeQueueFull() {
            return false;
        }

        @Override
        public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
            return this;
        }
    }
}
