package com.registryservice.jobs;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.quarkus.logging.Log;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * One kind of background work on this instance (provisioning, a GC round, …), made by {@link Jobs}. At most one
 * round runs at a time: a kick that arrives while a round runs makes exactly one more round after it, however many
 * kicks arrive, so bursts merge and the work's own concurrency limits hold. Once the instance is stopping no round
 * starts, and a failure of one still running is no warning. Each round runs on a fresh Vert.x context,
 * so it gets a reactive session of its own rather than the (closing) one of the request that kicked it. A job that is
 * switched off does nothing.
 */
public final class Job {

    private static final int IDLE = 0;
    private static final int RUNNING = 1;
    private static final int RUNNING_AGAIN = 2;

    private final String name;
    private final boolean enabled;
    private final Supplier<Uni<?>> work;
    private final Vertx vertx;
    private final BooleanSupplier stopping;
    private final AtomicInteger state = new AtomicInteger(IDLE);

    Job(String name, boolean enabled, Supplier<Uni<?>> work, Vertx vertx, BooleanSupplier stopping) {
        this.name = name;
        this.enabled = enabled;
        this.work = work;
        this.vertx = vertx;
        this.stopping = stopping;
    }

    /** Runs the work soon, without delaying the caller (after a commit that gave it something to do). */
    public void kick() {
        // a round logs its own failure
        run().subscribe().with(done -> {
        }, failure -> {
        });
    }

    /**
     * Runs the work now, or, while a round runs, asks that round for one more and completes at once: for scheduled
     * ticks, which must not wait on (or overlap with) a round a kick started. It never fails: a failed round is
     * logged, and the next one retries.
     */
    public Uni<Void> run() {
        if (!enabled || stopping.getAsBoolean()) {
            return Uni.createFrom().voidItem();
        }
        int before = state.getAndUpdate(s -> s == IDLE ? RUNNING : RUNNING_AGAIN);
        if (before != IDLE) {
            return Uni.createFrom().voidItem();
        }
        // the rounds are subscribed to here, not by the caller: a caller that stops waiting (a timeout, a cancel)
        // cannot cut the chain that sets the job idle again, which would leave it RUNNING and doing nothing for good
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        rounds().subscribe().with(ignored -> done.complete(null), failure -> done.complete(null));
        return Uni.createFrom().completionStage(done);
    }

    /** Whether a round is running (for tests and health). */
    public boolean running() {
        return state.get() != IDLE;
    }

    private Uni<Void> rounds() {
        return onFreshContext()
                .onFailure().invoke(failure -> {
                    if (stopping.getAsBoolean()) {
                        Log.debugf("%s stopped with the instance: %s", name, failure.getMessage());
                    } else {
                        Log.warnf("%s failed (the next round retries): %s", name, failure.getMessage());
                    }
                })
                .onFailure().recoverWithNull()
                .flatMap(ignored -> {
                    // another round when kicked meanwhile; otherwise idle again
                    // (none once the instance is stopping)
                    boolean again = !stopping.getAsBoolean();
                    int before = state.getAndUpdate(s -> s == RUNNING_AGAIN && again ? RUNNING : IDLE);
                    return before == RUNNING_AGAIN && again ? rounds() : Uni.createFrom().voidItem();
                });
    }

    private Uni<Void> onFreshContext() {
        return Uni.createFrom().emitter(emitter -> {
            Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
            VertxContextSafetyToggle.setContextSafe(context, true);
            context.runOnContext(ignored -> {
                Uni<?> round;
                try {
                    round = work.get();
                } catch (RuntimeException | Error e) {
                    // an Error too: uncaught, it would leave the job RUNNING
                    emitter.fail(e);
                    return;
                }
                round.subscribe().with(done -> emitter.complete(null), emitter::fail);
            });
        });
    }
}
