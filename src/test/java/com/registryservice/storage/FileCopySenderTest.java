package com.registryservice.storage;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

/** How the directory store sends a blob: through a buffer on the event loop, from memory only, in bounded memory. */
class FileCopySenderTest {

    private static final int MIB = 1024 * 1024;

    private Vertx vertx;
    private Path scratch;

    @BeforeEach
    void setUp() throws IOException {
        vertx = Vertx.vertx();
        scratch = Files.createTempDirectory("file-copy-sender");
    }

    @AfterEach
    void tearDown() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private Path file(int size, long seed) throws IOException {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return Files.write(scratch.resolve("blob-" + seed), data);
    }

    /** A residency check that fails the test when the sender copies at all. */
    private static java.util.function.Predicate<java.nio.MappedByteBuffer> neverAsked(String why) {
        return pages -> {
            throw new AssertionError(why);
        };
    }

    private static BodyServer serve(Vertx vertx, FileCopySender sender, Path file) {
        return new BodyServer(vertx, (offset, length, request) -> sender.send(file, offset, length, request));
    }

    @Test
    void windowsNotInThePageCacheAreAskedOnTheEventLoopAndLoadedBeforeTheyAreRead() throws Exception {
        Path file = file(3 * MIB + 5, 1);
        List<Boolean> askedOnEventLoop = new CopyOnWriteArrayList<>();
        FileCopySender sender = new FileCopySender(vertx, 4, pages -> {
            askedOnEventLoop.add(Context.isOnEventLoopThread());
            return false;
        });
        try (BodyServer server = serve(vertx, sender, file)) {
            assertArrayEquals(Files.readAllBytes(file), server.get(0, Files.size(file)));
        }
        // one question per window of 1 MiB: a window reported absent is loaded once, not asked about again
        assertEquals(List.of(true, true, true, true), askedOnEventLoop);
        assertEquals(4, sender.freeSlots());
    }

    @Test
    void aSendAskedFromAnotherThreadCopiesOnTheRequestsOwnEventLoop() throws Exception {
        // after a password check on a worker, the blob route goes on on some thread; the response's callbacks run on
        // the request's event loop, and the transfer's state must only ever be touched there
        Path file = file(2 * MIB + 1, 6);
        List<String> askedOn = new CopyOnWriteArrayList<>();
        List<String> requestThreads = new CopyOnWriteArrayList<>();
        FileCopySender sender = new FileCopySender(vertx, 1, pages -> {
            askedOn.add(Thread.currentThread().getName());
            return true;
        });
        try (BodyServer server = new BodyServer(vertx, (offset, length, request) -> {
            requestThreads.add(Thread.currentThread().getName());
            return io.smallrye.mutiny.Uni.createFrom().voidItem()
                    .emitOn(io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool())
                    .flatMap(v -> sender.send(file, offset, length, request));
        })) {
            assertArrayEquals(Files.readAllBytes(file), server.get(0, Files.size(file)));
        }
        assertEquals(List.of(requestThreads.get(0), requestThreads.get(0), requestThreads.get(0)), askedOn);
        assertEquals(1, sender.freeSlots());
    }

    @Test
    void aPullThatFindsNoSlotFreeIsSentByTheKernel() throws Exception {
        Path file = file(MIB + 3, 2);
        FileCopySender sender = new FileCopySender(vertx, 0, neverAsked("no copy without a slot"));
        try (BodyServer server = serve(vertx, sender, file)) {
            byte[] all = Files.readAllBytes(file);
            assertArrayEquals(Arrays.copyOfRange(all, 10, all.length), server.get(10, all.length - 10));
        }
    }

    @Test
    void anHttp2ResponseIsLeftToVertx() throws Exception {
        // HTTP/2 is off in the service; were it on, a copy through the one buffer would not be safe there (it came
        // out corrupt when tried)
        Path file = file(MIB + 11, 5);
        FileCopySender sender = new FileCopySender(vertx, 1, neverAsked("no copy for HTTP/2"));
        try (BodyServer server = serve(vertx, sender, file)) {
            server.get(0, 1, java.net.http.HttpClient.Version.HTTP_2); // the upgrade: the connection is HTTP/2 after it
            assertArrayEquals(Files.readAllBytes(file), server.get(0, Files.size(file), java.net.http.HttpClient.Version.HTTP_2));
        }
    }

    @Test
    void aClientThatHangsUpMidBodyGivesTheSlotBack() throws Exception {
        Path file = file(32 * MIB, 3);
        FileCopySender sender = new FileCopySender(vertx, 1, pages -> true);
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        try (BodyServer server = new BodyServer(vertx, (offset, length, request) -> sender.send(file, offset, length,
                request).onFailure().invoke(failures::add))) {
            try (Socket socket = new Socket("localhost", server.port())) {
                socket.getOutputStream().write(("GET /?offset=0&length=" + Files.size(file)
                        + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                InputStream in = socket.getInputStream();
                assertTrue(in.readNBytes(64 * 1024).length == 64 * 1024, "the body began");
                assertEquals(0, sender.freeSlots(), "the pull holds the only slot");
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> sender.freeSlots() == 1);
            // told as a hang-up (answered quietly), not as a blob store that could not read (a warning, once a 503)
            await().atMost(Duration.ofSeconds(20)).until(() -> !failures.isEmpty());
            assertTrue(com.registryservice.api.Causes.hungUp(failures.get(0)), failures.get(0).toString());
            assertArrayEquals(Files.readAllBytes(file), server.get(0, Files.size(file)), "the slot serves again");
        }
    }

    @Test
    void aFileShorterThanAskedCutsTheConnectionAndGivesTheSlotBack() throws Exception {
        Path file = file(100_000, 4);
        FileCopySender sender = new FileCopySender(vertx, 1, pages -> true);
        try (BodyServer server = serve(vertx, sender, file)) {
            assertThrows(IOException.class, () -> server.get(0, 200_000));
            await().atMost(Duration.ofSeconds(20)).until(() -> sender.freeSlots() == 1);
        }
    }
}
