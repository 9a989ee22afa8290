package com.registryservice.gc.service;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
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

    /** Works on queued runs now, without waiting for the next poll (after a manual trigger). */
    public void soon() {
        gc.runPending().subscribe().with(ran -> {
        }, failure -> Log.warnf("Working on GC runs failed (the next poll retries): %s", failure.getMessage()));
    }
}
