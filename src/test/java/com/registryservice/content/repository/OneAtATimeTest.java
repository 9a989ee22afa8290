package com.registryservice.content.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        firstEnd.completeExceptionally(new IllegalStateException("the store failed"));
        assertTrue(first.isCompletedExceptionally());
        assertEquals("2", second.join());
    }

    @Test
    void aCallerLeavingWhileItWaitsDoesNotLetTheNextOneOvertake() {
        CompletableFuture<String> firstEnd = new CompletableFuture<>();
        work("first", firstEnd).subscribeAsCompletionStage();
        Cancellable leaving = work("leaving", new CompletableFuture<>()).subscribe().with(item -> {
        });
        CompletableFuture<String> third = work("third", CompletableFuture.completedFuture("3"))
                .subscribeAsCompletionStage();

        leaving.cancel();
        assertEquals(List.of("first"), started, "the third waits for the first, still running");
        assertFalse(third.isDone());

        firstEnd.complete("1");
        assertEquals("3", third.join());
        assertEquals(List.of("first", "third"), started);
    }

    @Test
    void otherKeysDoNotWait() {
        work("first", new CompletableFuture<>()).subscribeAsCompletionStage();
        String other = queue.run("other", () -> Uni.createFrom().item("x")).await().indefinitely();
        assertEquals("x", other);
    }
}
