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

import com.registryservice.storage.BlobStore.UploadState;

/**
 * What every {@link BlobStore} promises, run against each implementation (the directory store now, S3 later), as
 * CNCF distribution runs one suite against every storage driver. Subclasses say how to make a store.
 */
public abstract class BlobStoreContract {

    private static final Duration WAIT = Duration.ofSeconds(30);

    protected Vertx vertx;
    protected Path scratch;
    private BlobStore store;

    /**
     * A store over this test's storage, empty at the test's start; a second call gives another store over the same
     * storage (as a second instance of the service would have).
     */
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
    protected ReadStream<Buffer> stream(byte[] data) throws Exception {
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

    private static final int MIB = 1024 * 1024;

    /** Appends each chunk after the other, as requests would, showing each byte to {@code seen}. */
    private UploadState appendAll(BlobStore to, String upload, UploadState from, MessageDigest seen, byte[]... chunks)
            throws Exception {
        UploadState state = from;
        for (byte[] chunk : chunks) {
            UploadState before = state;
            state = await(to.append(upload, state, stream(chunk), b -> seen.update(b.getBytes())));
            assertEquals(before.size() + chunk.length, state.size());
        }
        return state;
    }

    private static byte[][] split(byte[] data, int... sizes) {
        byte[][] chunks = new byte[sizes.length + 1][];
        int at = 0;
        for (int i = 0; i < sizes.length; i++) {
            chunks[i] = Arrays.copyOfRange(data, at, at + sizes[i]);
            at += sizes[i];
        }
        chunks[sizes.length] = Arrays.copyOfRange(data, at, data.length);
        return chunks;
    }

    private static String keyIn(String upload, String name) {
        return upload.substring(0, upload.indexOf('/')) + "/sha256/" + name.substring(0, 2) + "/" + name;
    }

    @Test
    void chunksAppendInOrderPassingEveryByteToTheObserverAndCommitUnderTheKey() throws Exception {
        byte[] data = random(300_000, 1);
        String upload = uploadKey();
        MessageDigest seen = MessageDigest.getInstance("SHA-256");
        UploadState state = appendAll(store, upload, UploadState.EMPTY, seen, split(data, 100_000));
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(data), seen.digest(), "the observer saw it all");
        await(store.seal(upload, state));
        await(store.seal(upload, state));
        Collector uploaded = new Collector();
        await(store.readUpload(upload, uploaded));
        assertArrayEquals(data, uploaded.bytes.getBytes());

        String key = keyIn(upload, "abcdef");
        await(store.commit(upload, key));
        assertEquals(Optional.of(300_000L), await(store.size(key)));
        assertArrayEquals(data, read(key, 0, data.length));
        assertArrayEquals(Arrays.copyOfRange(data, 1_000, 1_010), read(key, 1_000, 10), "a range");
    }

    @Test
    void unevenChunksAcrossManyPartSizesComeBackWhole() throws Exception {
        // chunks smaller and larger than an object store's parts (5 MiB and up), ending on and off their edges
        byte[] data = random(23 * MIB + 123, 7);
        String upload = uploadKey();
        MessageDigest seen = MessageDigest.getInstance("SHA-256");
        UploadState state = appendAll(store, upload, UploadState.EMPTY, seen,
                split(data, 1, 3 * MIB, 12 * MIB - 1, 10, 5 * MIB - 10));
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(data), seen.digest());
        await(store.seal(upload, state));
        String key = keyIn(upload, "bbbbbb");
        await(store.commit(upload, key));
        assertEquals(Optional.of((long) data.length), await(store.size(key)));
        assertArrayEquals(data, read(key, 0, data.length));
        assertArrayEquals(Arrays.copyOfRange(data, 5 * MIB - 3, 5 * MIB + 3), read(key, 5 * MIB - 3, 6),
                "a range across a part's edge");
    }

    @Test
    void aBlobOrARangeOfItIsSentAsAResponseBody() throws Exception {
        // more than a few of the directory store's windows and chunks, ending off their edges
        byte[] data = random(3 * MIB + 12_345, 11);
        String upload = uploadKey();
        UploadState state = appendAll(store, upload, UploadState.EMPTY, MessageDigest.getInstance("SHA-256"), data);
        await(store.seal(upload, state));
        String key = keyIn(upload, "cccccc");
        await(store.commit(upload, key));
        try (BodyServer server = new BodyServer(vertx, (offset, length, request) -> store.send(key, offset, length,
                request))) {
            assertArrayEquals(data, server.get(0, data.length));
            assertArrayEquals(Arrays.copyOfRange(data, MIB - 7, 2 * MIB + 100), server.get(MIB - 7, MIB + 107),
                    "a range across windows");
            assertArrayEquals(Arrays.copyOfRange(data, data.length - 1, data.length), server.get(data.length - 1, 1),
                    "the last byte");
        }
    }

    @Test
    void anUploadBegunByOneStoreIsContinuedAndCommittedByAnother() throws Exception {
        byte[] data = random(7 * MIB, 8);
        String upload = uploadKey();
        MessageDigest seen = MessageDigest.getInstance("SHA-256");
        byte[][] chunks = split(data, 6 * MIB);
        UploadState first = appendAll(store, upload, UploadState.EMPTY, seen, chunks[0]);
        BlobStore other = createStore();
        UploadState second = appendAll(other, upload, first, seen, chunks[1]);
        await(other.seal(upload, second));
        String key = keyIn(upload, "cccccc");
        await(other.commit(upload, key));
        assertArrayEquals(data, read(key, 0, data.length));
    }

    @Test
    void aChunkThatFailsHalfwayLeavesTheUploadAsItWasBefore() throws Exception {
        byte[] data = random(9 * MIB, 9);
        String upload = uploadKey();
        MessageDigest ignored = MessageDigest.getInstance("SHA-256");
        UploadState before = appendAll(store, upload, UploadState.EMPTY, ignored, Arrays.copyOfRange(data, 0, MIB));

        // 6 MiB arrive (a whole part for an object store), then the connection breaks
        ReadStream<Buffer> broken = new FailingStream(vertx, random(6 * MIB, 10));
        RuntimeException failed = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                () -> await(store.append(upload, before, broken, b -> { })));
        // the request's own failure, not one of cleaning up after it (a client that hangs up is not an error)
        Throwable cause = failed;
        while (cause.getCause() != null && !"connection reset".equals(cause.getMessage())) {
            cause = cause.getCause();
        }
        assertEquals("connection reset", cause.getMessage(), failed.toString());

        UploadState after = appendAll(store, upload, before, ignored, Arrays.copyOfRange(data, MIB, data.length));
        await(store.seal(upload, after));
        String key = keyIn(upload, "dddddd");
        await(store.commit(upload, key));
        assertArrayEquals(data, read(key, 0, data.length), "nothing of the broken chunk is in the blob");
    }

    @Test
    void aStateThatWasNeverSavedLeavesTheSavedOneUsable() throws Exception {
        // an append whose new state the database failed to save: the next request starts from the saved one
        byte[] first = random(3 * MIB, 11);
        byte[] lost = random(MIB, 12);
        byte[] retried = random(2 * MIB + 5, 13);
        String upload = uploadKey();
        MessageDigest ignored = MessageDigest.getInstance("SHA-256");
        UploadState saved = appendAll(store, upload, UploadState.EMPTY, ignored, first);
        appendAll(store, upload, saved, ignored, lost);
        UploadState after = appendAll(store, upload, saved, ignored, retried);
        await(store.seal(upload, after));
        String key = keyIn(upload, "ffsaved");
        await(store.commit(upload, key));
        byte[] expected = new byte[first.length + retried.length];
        System.arraycopy(first, 0, expected, 0, first.length);
        System.arraycopy(retried, 0, expected, first.length, retried.length);
        assertArrayEquals(expected, read(key, 0, expected.length));
    }

    @Test
    void anEmptyUploadCommitsAnEmptyBlobAndCommittingTheSameBytesAgainKeepsThem() throws Exception {
        String upload = uploadKey();
        String key = keyIn(upload, "e3empty");
        await(store.seal(upload, UploadState.EMPTY));
        await(store.commit(upload, key));
        assertEquals(Optional.of(0L), await(store.size(key)));
        assertEquals(0, read(key, 0, 0).length);
        byte[] data = random(1_000, 2);
        String first = uploadKey();
        String blob = keyIn(first, "aasame");
        MessageDigest ignored = MessageDigest.getInstance("SHA-256");
        await(store.seal(first, appendAll(store, first, UploadState.EMPTY, ignored, data)));
        await(store.commit(first, blob));
        String second = first.substring(0, first.indexOf('/')) + "/" + UUID.randomUUID();
        await(store.seal(second, appendAll(store, second, UploadState.EMPTY, ignored, data)));
        await(store.commit(second, blob));
        assertArrayEquals(data, read(blob, 0, data.length));
    }

    @Test
    void anUploadCommittedOnceCanBeCommittedAgainUntilItIsForgottenAndForgettingItKeepsTheBlob() throws Exception {
        // a push whose record failed after its bytes were put in place is finished again by the client's retry
        byte[] data = random(70_000, 12);
        String upload = uploadKey();
        UploadState state = appendAll(store, upload, UploadState.EMPTY, MessageDigest.getInstance("SHA-256"), data);
        await(store.seal(upload, state));
        String key = keyIn(upload, "ddretry");
        await(store.commit(upload, key));
        Collector again = new Collector();
        await(store.readUpload(upload, again));
        assertArrayEquals(data, again.bytes.getBytes(), "the upload still has its bytes");
        await(store.commit(upload, key));
        await(store.deleteUpload(upload));
        assertArrayEquals(data, read(key, 0, data.length));
        assertNothingLeftOf(upload);
    }

    @Test
    void deletesAreIdempotentAndAbsentBlobsHaveNoSize() throws Exception {
        String upload = uploadKey();
        String key = keyIn(upload, "degone");
        MessageDigest ignored = MessageDigest.getInstance("SHA-256");
        appendAll(store, upload, UploadState.EMPTY, ignored, random(6 * MIB, 3));
        await(store.deleteUpload(upload));
        await(store.deleteUpload(upload));
        String empty = uploadKey();
        await(store.seal(empty, UploadState.EMPTY));
        await(store.commit(empty, key));
        String kept = keyIn(upload, "dekept");
        await(store.seal(empty, UploadState.EMPTY));
        await(store.commit(empty, kept));
        await(store.delete(java.util.List.of(key, keyIn(upload, "denever"))));
        await(store.delete(java.util.List.of(key)));
        await(store.delete(java.util.List.of()));
        assertEquals(Optional.empty(), await(store.size(key)));
        assertEquals(Optional.of(0L), await(store.size(kept)), "only the keys named are deleted");
    }

    @Test
    void deleteAllRemovesEveryBlobAndUploadUnderThePrefixAndNothingElse() throws Exception {
        String mine = "registry-" + UUID.randomUUID();
        String other = "registry-" + UUID.randomUUID();
        MessageDigest ignored = MessageDigest.getInstance("SHA-256");
        String upload = mine + "/" + UUID.randomUUID();
        appendAll(store, upload, UploadState.EMPTY, ignored, random(6 * MIB, 4));
        String otherUpload = other + "/" + UUID.randomUUID();
        await(store.seal(otherUpload, appendAll(store, otherUpload, UploadState.EMPTY, ignored, random(10, 5))));
        await(store.commit(otherUpload, other + "/sha256/00/kept"));
        String committed = mine + "/" + UUID.randomUUID();
        await(store.seal(committed, appendAll(store, committed, UploadState.EMPTY, ignored, random(10, 6))));
        await(store.commit(committed, mine + "/sha256/00/dropped"));

        await(store.deleteAll(mine));
        await(store.deleteAll(mine));

        assertEquals(Optional.empty(), await(store.size(mine + "/sha256/00/dropped")));
        assertTrue(await(store.size(other + "/sha256/00/kept")).isPresent(), "another prefix is untouched");
        assertNothingLeftOf(upload);
    }

    /** Checks that no byte of the upload is left in the storage (subclasses look at it directly). */
    protected abstract void assertNothingLeftOf(String upload) throws Exception;

    /** Sends its bytes, then fails, as a request body whose connection breaks. */
    private static final class FailingStream implements ReadStream<Buffer> {
        private final Vertx vertx;
        private final byte[] bytes;
        private Handler<Buffer> handler;
        private Handler<Throwable> failed;

        FailingStream(Vertx vertx, byte[] bytes) {
            this.vertx = vertx;
            this.bytes = bytes;
        }

        @Override
        public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
            this.failed = handler;
            return this;
        }

        @Override
        public ReadStream<Buffer> handler(Handler<Buffer> handler) {
            this.handler = handler;
            if (handler != null) {
                vertx.runOnContext(v -> {
                    for (int at = 0; at < bytes.length; at += 64 * 1024) {
                        this.handler.handle(Buffer.buffer(Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + 64 * 1024))));
                    }
                    vertx.setTimer(50, t -> failed.handle(new java.io.IOException("connection reset")));
                });
            }
            return this;
        }

        @Override
        public ReadStream<Buffer> pause() {
            return this;
        }

        @Override
        public ReadStream<Buffer> resume() {
            return this;
        }

        @Override
        public ReadStream<Buffer> fetch(long amount) {
            return this;
        }

        @Override
        public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
            return this;
        }
    }

    /** Collects what is written to it. */
    protected static final class Collector implements WriteStream<Buffer> {
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
