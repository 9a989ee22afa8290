package com.registryservice.content.repository;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Runs the work given for one key one after another on this instance, the later ones waiting in memory. What it
 * spares is connections: work that would otherwise wait inside PostgreSQL (for an advisory lock) would hold a pooled
 * connection each while it waits, and twenty pushes of one new layer at once (a CI fleet) would hold the whole pool.
 * It is not what makes the work safe: the lock in PostgreSQL still does that, across instances.
 *
 * <p>Work once asked for runs, in its turn, to its end, whether or not its caller still waits for it: a caller that
 * goes away cannot stop a pooled connection's work midway anyway (the SQL client finishes it), and the next work
 * must not start before it is over.
 */
final class OneAtATime {

    private static final CompletableFuture<Void> NONE = CompletableFuture.completedFuture(null);

    /** The end of the last work taken for each key; removed when it ends with nobody after it. */
    private final ConcurrentHashMap<String, CompletableFuture<Void>> last = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Integer> waiting = new ConcurrentHashMap<>();

    /**
     * The work's outcome, once the work taken before it for the same key has ended (with an item or a failure). The
     * work starts on the caller's Vert.x context, not on the thread that ended the work before it.
     */
    <T> Uni<T> run(String key, Supplier<Uni<T>> work) {
        return Uni.createFrom().deferred(() -> {
            Context context = Vertx.currentContext();
            CompletableFuture<Void> mine = new CompletableFuture<>();
            CompletableFuture<Void> before = last.put(key, mine);
            CompletableFuture<Void> prior = before == null ? NONE : before;
            CompletableFuture<T> outcome = new CompletableFuture<>();
            outcome.whenComplete((item, failure) -> {
                last.remove(key, mine);
                mine.complete(null);
            });
            if (prior.isDone()) {
                start(work, outcome);
            } else {
                waiting.merge(key, 1, Integer::sum);
                prior.whenComplete((x, failure) -> {
                    waiting.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1);
                    resume(context, () -> start(work, outcome), outcome);
                });
            }
            // a caller that cancels must not cancel the outcome: that would let the next work start now
            return Uni.createFrom().completionStage(outcome.minimalCompletionStage());
        });
    }

    private static <T> void start(Supplier<Uni<T>> work, CompletableFuture<T> outcome) {
        try {
            work.get().subscribe().with(outcome::complete, outcome::completeExceptionally);
        } catch (RuntimeException e) {
            outcome.completeExceptionally(e);
        }
    }

    /** Runs the start on the caller's context; a context that takes no more tasks (shutting down) ends the work. */
    private static void resume(Context context, Runnable start, CompletableFuture<?> outcome) {
        if (context == null) {
            start.run();
            return;
        }
        try {
            context.runOnContext(v -> start.run());
        } catch (RuntimeException e) {
            outcome.completeExceptionally(e);
        }
    }

    /** How many works for the key wait for the one before them, on this instance. */
    int waiting(String key) {
        return waiting.getOrDefault(key, 0);
    }
}
