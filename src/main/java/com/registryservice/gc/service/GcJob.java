package com.registryservice.gc.service;

import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.registryservice.gc.GcConfig;
import com.registryservice.jobs.Job;
import com.registryservice.jobs.Jobs;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Garbage collection's background work on this instance: every {@code registry.gc.poll-interval}, record the runs of
 * due slots, then work on queued runs; right after a manual trigger ({@link #kick()}), work on queued runs. One round
 * of each at a time, so {@code registry.gc.concurrent-runs} bounds the runs this instance works on; "off" switches
 * it all off on this instance.
 */
@ApplicationScoped
public class GcJob {

    private final Collector collector;
    private final Job scheduling;
    private final Job runs;

    public GcJob(Collector collector, GcConfig config, Jobs jobs) {
        this.collector = collector;
        this.runs = jobs.create("Garbage-collection runs", config.enabled(), () -> collector.runPending()
                .invoke(ran -> Log.debugf("GC: worked on %d runs", ran)));
        this.scheduling = jobs.create("Garbage-collection scheduling", config.enabled(), () -> collector
                .scheduleDueRuns().invoke(recorded -> Log.debugf("GC: recorded %d runs", recorded))
                .flatMap(recorded -> runs.run()));
    }

    @Scheduled(identity = "garbage-collection", every = "${registry.gc.poll-interval:10s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        return scheduling.run();
    }

    /** Works on queued runs soon, without waiting for the next poll. */
    public void kick() {
        runs.kick();
    }

    /**
     * Graceful shutdown: the runs this instance holds are released so that another instance takes them over at
     * once, instead of after the lease. Shutdown runs on the main thread, not an event loop, so it may wait for
     * that (a few seconds at most) before the database pool closes.
     */
    void onShutdown(@Observes ShutdownEvent event) {
        try {
            Integer released = collector.releaseLeases().subscribeAsCompletionStage().get(5, TimeUnit.SECONDS);
            if (released > 0) {
                Log.infof("Released %d garbage-collection runs for another instance to take over", released);
            }
        } catch (Exception e) {
            Log.warnf("Could not release garbage-collection leases at shutdown (they expire by themselves): %s",
                    e.getMessage());
        }
    }
}
