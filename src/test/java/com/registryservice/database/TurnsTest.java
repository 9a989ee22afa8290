package com.registryservice.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.UniSubscriber;
import io.smallrye.mutiny.subscription.UniSubscription;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/** Work of several tenants on a few permits: served in turn, and every permit given back. */
class TurnsTest {

    /** Work that runs until the test ends it: records when it started, under which name. */
    private final List<String> started = new CopyOnWriteArrayList<>();
    private final List<UnicastProcessor<String>> running = new CopyOnWriteArrayList<>();

    private Uni<String> work(String name) {
        return Uni.createFrom().deferred(() -> {
            started.add(name);
            UnicastProcessor<String> end = UnicastProcessor.create();
            running.add(end);
            return end.toUni();
        });
    }

    private void finishOldest() {
        UnicastProcessor<String> oldest = running.remove(0);
        oldest.onNext("done");
        oldest.onComplete();
    }

    @Test
    void waitingTenantsAreServedInTurnNotInArrivalOrder() {
        Turns turns = new Turns(2);
        turns.run("flood", () -> work("flood-1")).subscribe().with(x -> { });
        turns.run("flood", () -> work("flood-2")).subscribe().with(x -> { });
        for (int i = 3; i <= 6; i++) {
            String name = "flood-" + i;
            turns.run("flood", () -> work(name)).subscribe().with(x -> { });
        }
        turns.run("quiet", () -> work("quiet-1")).subscribe().with(x -> { });
        assertEquals(List.of("flood-1", "flood-2"), started);
        finishOldest();
        finishOldest();
        // the flood's oldest waiting work came first, the quiet tenant's one next, not after all of the flood
        assertEquals(List.of("flood-1", "flood-2", "flood-3", "quiet-1"), started);
        while (!running.isEmpty()) {
            finishOldest();
        }
        assertEquals(List.of("flood-1", "flood-2", "flood-3", "quiet-1", "flood-4", "flood-5", "flood-6"), started);
    }

    @Test
    void aTenantAloneGetsEveryPermit() {
        Turns turns = new Turns(3);
        for (int i = 1; i <= 4; i++) {
            String name = "only-" + i;
            turns.run("only", () -> work(name)).subscribe().with(x -> { });
        }
        assertEquals(List.of("only-1", "only-2", "only-3"), started);
        finishOldest();
        assertEquals(List.of("only-1", "only-2", "only-3", "only-4"), started);
    }

    @Test
    void failedWorkGivesItsPermitBack() {
        Turns turns = new Turns(1);
        UniAssertSubscriber<Object> failed = turns.run("a", () -> Uni.createFrom().failure(new IllegalStateException(
                "broken"))).subscribe().withSubscriber(UniAssertSubscriber.create());
        failed.assertFailedWith(IllegalStateException.class, "broken");
        UniAssertSubscriber<Object> thrown = turns.<Object>run("a", () -> {
            throw new IllegalStateException("thrown");
        }).subscribe().withSubscriber(UniAssertSubscriber.create());
        thrown.assertFailedWith(IllegalStateException.class, "thrown");
        turns.run("b", () -> work("b-1")).subscribe().with(x -> { });
        assertEquals(List.of("b-1"), started);
    }

    @Test
    void workCancelledWhileWaitingLeavesTheLineAndWorkCancelledWhileRunningGivesItsPermitBack() {
        Turns turns = new Turns(1);
        Cancellable first = turns.run("a", () -> work("a-1")).subscribe().with(x -> { });
        Cancellable waiting = turns.run("a", () -> work("a-2")).subscribe().with(x -> { });
        turns.run("b", () -> work("b-1")).subscribe().with(x -> { });
        waiting.cancel();
        first.cancel();
        // a-2 left the line: b-1 had the permit that a-1 gave back
        assertEquals(List.of("a-1", "b-1"), started);
        finishOldest(); // a-1's (cancelled: its end goes nowhere)
        finishOldest();
        turns.run("c", () -> work("c-1")).subscribe().with(x -> { });
        assertEquals(List.of("a-1", "b-1", "c-1"), started);
    }

    @Test
    void cancellingAfterTheAnswerGivesNoSecondPermitBack() {
        Turns turns = new Turns(1);
        UniAssertSubscriber<String> answered = turns.run("a", () -> Uni.createFrom().item("row"))
                .subscribe().withSubscriber(UniAssertSubscriber.create());
        answered.assertItem("row");
        answered.cancel(); // a client that goes away after its answer
        turns.run("b", () -> work("b-1")).subscribe().with(x -> { });
        turns.run("b", () -> work("b-2")).subscribe().with(x -> { });
        assertEquals(List.of("b-1"), started);
    }

    @Test
    void workCancelledBeforeItAsksTakesNoPermit() {
        Turns turns = new Turns(1);
        turns.run("a", () -> work("a-1")).subscribe().withSubscriber(new UniSubscriber<String>() {
            @Override
            public void onSubscribe(UniSubscription subscription) {
                subscription.cancel();
            }

            @Override
            public void onItem(String item) {
            }

            @Override
            public void onFailure(Throwable failure) {
            }
        });
        turns.run("b", () -> work("b-1")).subscribe().with(x -> { });
        assertEquals(List.of("b-1"), started);
    }

    @Test
    void aLongLineOfWorkThatEndsAtOnceRunsWithoutNesting() {
        Turns turns = new Turns(1);
        turns.run("a", () -> work("a-1")).subscribe().with(x -> { });
        AtomicInteger answered = new AtomicInteger();
        int line = 20_000;
        for (int i = 0; i < line; i++) {
            turns.run("b" + (i % 7), () -> Uni.createFrom().item("row")).subscribe().with(x -> answered
                    .incrementAndGet());
        }
        finishOldest(); // each admitted piece ends at once and admits the next: a loop, not 20,000 nested calls
        assertEquals(line, answered.get());
    }

    @Test
    void workWaitingOnAVertxContextContinuesOnItsOwn() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            Context holder = vertx.getOrCreateContext();
            Context waiter = vertx.getOrCreateContext();
            Turns turns = new Turns(1);
            CompletableFuture<Void> held = new CompletableFuture<>();
            holder.runOnContext(v -> turns.run("a", () -> work("a-1")).subscribe().with(x -> { }, f -> { }));
            holder.runOnContext(v -> held.complete(null));
            held.get(10, TimeUnit.SECONDS);
            CompletableFuture<Context> ranOn = new CompletableFuture<>();
            CompletableFuture<Void> waiting = new CompletableFuture<>();
            waiter.runOnContext(v -> {
                turns.run("b", () -> Uni.createFrom().item(Vertx::currentContext)).subscribe()
                        .with(ranOn::complete, ranOn::completeExceptionally);
                waiting.complete(null);
            });
            waiting.get(10, TimeUnit.SECONDS);
            assertFalse(ranOn.isDone());
            holder.runOnContext(v -> finishOldest());
            assertSame(waiter, ranOn.get(10, TimeUnit.SECONDS));
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theWorksAnswerIsTheCallers() {
        Turns turns = new Turns(1);
        UniAssertSubscriber<String> answer = turns.run("a", () -> Uni.createFrom().item("row"))
                .subscribe().withSubscriber(UniAssertSubscriber.create());
        answer.assertItem("row");
    }

    @Test
    void noPermitsIsRefused() {
        assertEquals("permits (0) must be at least 1",
                assertThrows(IllegalArgumentException.class, () -> new Turns(0)).getMessage());
    }
}
