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
 */
final class OneAtATime {

    private static final CompletableFuture<Void> NONE = CompletableFuture.completedFuture(null);

    /** The last work taken for each key; removed when it ends with nobody after it. */
    private final ConcurrentHashMap<String, CompletableFuture<Void>> last = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Integer> waiting = new ConcurrentHashMap<>();

    /**
     * The work, once the work taken before it for the same key has ended (however it ended: an item, a failure, or
     * its caller going away). The work continues on the caller's Vert.x context, not on the thread that ended the
     * work before it.
     */
    <T> Uni<T> run(String key, Supplier<Uni<T>> work) {
        return Uni.createFrom().deferred(() -> {
            Context context = Vertx.currentContext();
            CompletableFuture<Void> mine = new CompletableFuture<>();
            CompletableFuture<Void> before = last.put(key, mine);
            CompletableFuture<Void> prior = before == null ? NONE : before;
            Uni<Void> turn = prior.isDone() ? Uni.createFrom().voidItem() : waitFor(key, prior, context);
            return turn.flatMap(v -> work.get()).onTermination().invoke(() ->
                    // the next one starts only once this one's predecessor is over too (this one may have ended by
                    // its caller leaving while it still waited)
                    prior.whenComplete((x, failure) -> {
                        last.remove(key, mine);
                        mine.complete(null);
                    }));
        });
    }

    private Uni<Void> waitFor(String key, CompletableFuture<Void> prior, Context context) {
        waiting.merge(key, 1, Integer::sum);
        return Uni.createFrom().<Void>emitter(emitter -> prior.whenComplete((x, failure) -> {
            waiting.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1);
            if (context == null) {
                emitter.complete(null);
            } else {
                context.runOnContext(v -> emitter.complete(null));
            }
        }));
    }

    /** How many works for the key wait for the one before them, on this instance. */
    int waiting(String key) {
        return waiting.getOrDefault(key, 0);
    }
}
