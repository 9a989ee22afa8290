package com.registryservice.gc.service;

import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Runs on every instance, every {@code registry.gc.poll-interval}: records the runs of due slots, then works on
 * queued runs. PostgreSQL decides which instance does what; no state in memory does.
 */
@ApplicationScoped
public class GcJob {

    private final GcService gc;

    public GcJob(GcService gc) {
        this.gc = gc;
    }

    @Scheduled(identity = "garbage-collection", every = "${registry.gc.poll-interval:10s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        return gc.scheduleDueRuns()
                .flatMap(scheduled -> gc.runPending().invoke(ran -> {
                    if (scheduled > 0 || ran > 0) {
                        Log.debugf("GC poll: %d runs recorded, %d runs worked on", scheduled, ran);
                    }
                }))
                .replaceWithVoid();
    }

    /**
     * Graceful shutdown: the runs this instance holds are released so that another instance takes them over at
     * once, instead of after the lease. Shutdown runs on the main thread, not an event loop, so it may wait for
     * that (a few seconds at most) before the database pool closes.
     */
    void onShutdown(@Observes ShutdownEvent event) {
        try {
            Integer released = gc.releaseLeases().subscribeAsCompletionStage().get(5, TimeUnit.SECONDS);
            if (released > 0) {
                Log.infof("Released %d garbage-collection runs for another instance to take over", released);
            }
        } catch (Exception e) {
            Log.warnf("Could not release garbage-collection leases at shutdown (they expire by themselves): %s",
                    e.getMessage());
        }
    }

    /** Works on queued runs now, without waiting for the next poll (after a manual trigger). */
    public void soon() {
        gc.runPending().subscribe().with(ran -> {
        }, failure -> Log.warnf("Working on GC runs failed (the next poll retries): %s", failure.getMessage()));
    }
}
