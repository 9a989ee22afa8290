package com.registryservice.content.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;

class OneAtATimeTest {

    private final OneAtATime queue = new OneAtATime();
    private final List<String> started = new ArrayList<>();

    /** Work that records its start and ends when {@code end} completes. */
    private Uni<String> work(String name, CompletableFuture<String> end) {
        return queue.run("k", () -> {
            started.add(name);
            return Uni.createFrom().completionStage(end);
        });
    }

    @Test
    void workForOneKeyRunsOneAfterTheOther() {
        CompletableFuture<String> firstEnd = new CompletableFuture<>();
        CompletableFuture<String> secondEnd = new CompletableFuture<>();
        CompletableFuture<String> first = work("first", firstEnd).subscribeAsCompletionStage();
        CompletableFuture<String> second = work("second", secondEnd).subscribeAsCompletionStage();
        assertEquals(List.of("first"), started);
        assertEquals(1, queue.waiting("k"));

        firstEnd.complete("1");
        assertEquals("1", first.join());
        assertEquals(List.of("first", "second"), started);
        assertEquals(0, queue.waiting("k"));
        secondEnd.complete("2");
        assertEquals("2", second.join());
    }

    @Test
    void aFailureLetsTheNextOneRun() {
        CompletableFuture<String> firstEnd = new CompletableFuture<>();
        CompletableFuture<String> first = work("first", firstEnd).subscribeAsCompletionStage();
        CompletableFuture<String> second = work("second", CompletableFuture.completedFuture("2"))
                .subscribeAsCompletionStage();
        assertEquals(List.of("first"), started);
        firstEnd.completeExceptionally(new IllegalStateException("the store failed"));
        assertTrue(first.isCompletedExceptionally());
        assertEquals("2", second.join());
        assertEquals(List.of("first", "second"), started);
    }

    @Test
    void aCallerLeavingWhileItWaitsStillHasItsWorkRunInItsTurn() {
        CompletableFuture<String> firstEnd = new CompletableFuture<>();
        CompletableFuture<String> leavingEnd = new CompletableFuture<>();
        work("first", firstEnd).subscribeAsCompletionStage();
        Cancellable leaving = work("leaving", leavingEnd).subscribe().with(item -> {
        });
        CompletableFuture<String> third = work("third", CompletableFuture.completedFuture("3"))
                .subscribeAsCompletionStage();

        leaving.cancel();
        assertEquals(List.of("first"), started);
        firstEnd.complete("1");
        assertEquals(List.of("first", "leaving"), started, "asked for, the work runs in its turn");
        assertFalse(third.isDone());

        leavingEnd.complete("2");
        assertEquals("3", third.join());
        assertEquals(List.of("first", "leaving", "third"), started);
    }

    @Test
    void aCallerLeavingWhileItsWorkRunsDoesNotLetTheNextOneStartBeforeItEnds() {
        CompletableFuture<String> firstEnd = new CompletableFuture<>();
        Cancellable leaving = work("first", firstEnd).subscribe().with(item -> {
        });
        CompletableFuture<String> second = work("second", CompletableFuture.completedFuture("2"))
                .subscribeAsCompletionStage();

        leaving.cancel();
        assertEquals(List.of("first"), started, "the first work goes on: the second waits for its end");
        assertFalse(firstEnd.isCancelled());

        firstEnd.complete("1");
        assertEquals("2", second.join());
        assertEquals(List.of("first", "second"), started);
    }

    @Test
    void otherKeysDoNotWait() {
        work("first", new CompletableFuture<>()).subscribeAsCompletionStage();
        String other = queue.run("other", () -> Uni.createFrom().item("x")).await().atMost(Duration.ofSeconds(5));
        assertEquals("x", other);
    }

    @Test
    void aSupplierThatThrowsFailsItsWorkOnlyAndLetsTheNextOneRun() {
        CompletableFuture<String> broken = queue.<String>run("k", () -> {
            throw new IllegalStateException("no work");
        }).subscribeAsCompletionStage();
        assertTrue(broken.isCompletedExceptionally());
        assertEquals("2", work("second", CompletableFuture.completedFuture("2")).await().atMost(Duration.ofSeconds(5)));
    }
}
