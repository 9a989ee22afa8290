package com.registryservice.jobs;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/** The work-kicker: kicks during a round merge into one more round, an "off" job does nothing, failures are retried. */
class JobTest {

    private final Vertx vertx = Vertx.vertx();
    private final Jobs jobs = new Jobs(vertx);
    /** Each round waits on its own future, so the test decides when a round ends. */
    private final List<CompletableFuture<Void>> rounds = new ArrayList<>();

    @AfterEach
    void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private synchronized Uni<Void> round() {
        CompletableFuture<Void> round = new CompletableFuture<>();
        rounds.add(round);
        return Uni.createFrom().completionStage(round);
    }

    private synchronized int started() {
        return rounds.size();
    }

    private synchronized void finish(int round) {
        rounds.get(round).complete(null);
    }

    @Test
    void kicksDuringARoundMergeIntoExactlyOneMoreRound() {
        Job job = jobs.create("test", true, this::round);
        job.kick();
        await().atMost(Duration.ofSeconds(5)).until(() -> started() == 1);
        for (int i = 0; i < 10; i++) {
            job.kick();
        }
        assertEquals(1, started(), "no second round while the first runs");
        finish(0);
        await().atMost(Duration.ofSeconds(5)).until(() -> started() == 2);
        finish(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> !job.running());
        assertEquals(2, started(), "ten kicks during a round made one more round, not ten");
    }

    @Test
    void aScheduledTickDuringARoundCompletesAtOnceAndAsksForAnotherRound() {
        Job job = jobs.create("test", true, this::round);
        job.kick();
        await().atMost(Duration.ofSeconds(5)).until(() -> started() == 1);
        job.run().await().atMost(Duration.ofSeconds(5));
        finish(0);
        await().atMost(Duration.ofSeconds(5)).until(() -> started() == 2);
        finish(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> !job.running());
    }

    @Test
    void aJobThatIsOffNeverRuns() {
        AtomicInteger ran = new AtomicInteger();
        Job job = jobs.create("test", false, () -> Uni.createFrom().item(ran.incrementAndGet()));
        job.kick();
        job.run().await().atMost(Duration.ofSeconds(5));
        assertEquals(0, ran.get());
        assertFalse(job.running());
    }

    @Test
    void aFailedRoundIsLoggedAndTheNextKickRunsAgain() {
        AtomicInteger ran = new AtomicInteger();
        Job job = jobs.create("test", true, () -> ran.incrementAndGet() == 1
                ? Uni.createFrom().failure(new IllegalStateException("first round fails"))
                : Uni.createFrom().voidItem());
        job.run().await().atMost(Duration.ofSeconds(5));
        job.run().await().atMost(Duration.ofSeconds(5));
        assertEquals(2, ran.get());
        assertFalse(job.running());
    }

    @Test
    void onceTheInstanceStopsNoRoundStartsAndARunningOnesFailureIsNoWarning() {
        AtomicInteger ran = new AtomicInteger();
        Job job = jobs.create("stopping-test", true, () -> {
            ran.incrementAndGet();
            return round();
        });
        java.util.logging.Logger category = java.util.logging.Logger.getLogger("com.registryservice.jobs");
        java.util.logging.Level level = category.getLevel();
        category.setLevel(java.util.logging.Level.FINE);
        try (var log = com.registryservice.support.LogCapture.of("com.registryservice.jobs")) {
            // before the stop, a failed round is a warning
            job.kick();
            await().atMost(Duration.ofSeconds(5)).until(() -> started() == 1);
            rounds.get(0).completeExceptionally(new IllegalStateException("the database is down"));
            await().atMost(Duration.ofSeconds(5)).until(() -> !job.running());
            assertEquals(1, log.messages(java.util.logging.Level.WARNING).size());
            job.kick();
            await().atMost(Duration.ofSeconds(5)).until(() -> started() == 2);
            job.kick();
            jobs.stop();
            // the session closed under it as the container went
            rounds.get(1).completeExceptionally(new IllegalStateException("Session/EntityManager is closed"));
            await().atMost(Duration.ofSeconds(5)).until(() -> !job.running());
            job.run().await().atMost(Duration.ofSeconds(5));
            job.kick();
            assertEquals(2, ran.get(), "no round after the stop, not even the one asked for during the second");
            assertEquals(1, log.messages(java.util.logging.Level.WARNING).size());
            assertEquals(1, log.messages(java.util.logging.Level.FINE).stream()
                    .filter(m -> m.contains("stopping-test stopped with the instance")).count(),
                    log.messages(java.util.logging.Level.ALL).toString());
        } finally {
            category.setLevel(level);
        }
    }

    @Test
    void aCallerThatStopsWaitingLeavesTheJobFreeToRunAgain() {
        Job job = jobs.create("test", true, this::round);
        // the caller cancels while the round runs (as await().atMost does when it times out)
        job.run().subscribe().with(done -> {
        }).cancel();
        await().atMost(Duration.ofSeconds(5)).until(() -> started() == 1);
        finish(0);
        await().atMost(Duration.ofSeconds(5)).until(() -> !job.running());
        job.kick();
        await().atMost(Duration.ofSeconds(5)).until(() -> started() == 2);
        finish(1);
    }

    @Test
    void roundsRunOnAVertxContext() {
        AtomicInteger onContext = new AtomicInteger();
        Job job = jobs.create("test", true, () -> {
            onContext.set(Vertx.currentContext() != null ? 1 : -1);
            return Uni.createFrom().voidItem();
        });
        job.run().await().atMost(Duration.ofSeconds(5));
        assertEquals(1, onContext.get());
    }
}
