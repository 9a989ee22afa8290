package com.registryservice.gc.service;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.registryservice.content.service.StorageReclaimer;
import com.registryservice.gc.GcConfig;
import com.registryservice.gc.GcSchedule;
import com.registryservice.gc.GcSlots;
import com.registryservice.gc.repository.GcRepository;
import com.registryservice.gc.repository.GcRepository.ClaimedRun;
import com.registryservice.gc.repository.GcRepository.Planned;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * The collector: turns due schedule slots into runs (exactly once, whatever the number of instances) and works on
 * runs under a renewable lease. PostgreSQL decides which instance does what; no state in memory does.
 */
@ApplicationScoped
public class Collector {

    /** This instance's name in leases: unique per process by default, so that a restarted instance is another owner. */
    private final String instance;
    private final GcRepository repository;
    private final GcConfig config;
    private final GcMetrics metrics;
    private final StorageReclaimer reclaimer;

    public Collector(GcRepository repository, GcConfig config, GcMetrics metrics, StorageReclaimer reclaimer) {
        this.repository = repository;
        this.reclaimer = reclaimer;
        this.config = config;
        this.instance = config.instanceName().orElseGet(() -> UUID.randomUUID().toString());
        this.metrics = metrics;
    }

    /**
     * Claims the registries whose slot is due and records one run for each, in one transaction per batch, until
     * none is due. Slots missed while no instance ran coalesce into one run, recorded with the latest missed slot.
     *
     * @return how many runs (queued or skipped) were recorded
     */
    public Uni<Integer> scheduleDueRuns() {
        return repository.claimDue(config.claimBatchSize(), Collector::plan)
                .invoke(claimed -> metrics.runsSkipped(claimed.skipped()))
                .flatMap(claimed -> claimed.due() == config.claimBatchSize()
                        ? scheduleDueRuns().map(more -> claimed.recorded() + more)
                        : Uni.createFrom().item(claimed.recorded()));
    }

    private static Planned plan(java.time.Instant now, GcRepository.DueRegistry registry) {
        GcSchedule schedule = GcSchedule.fromStored(registry.days(), registry.time());
        return new Planned(registry.id(), GcSlots.latestAtOrBefore(schedule, now), GcSlots.nextAfter(schedule, now));
    }

    /** Works on queued runs (and runs whose instance died) until there are none, several at a time. */
    public Uni<Integer> runPending() {
        return repository.claimRuns(instance, config.lease().toSeconds(), config.concurrentRuns())
                .flatMap(claimed -> {
                    if (claimed.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    List<Uni<Void>> runs = claimed.stream().map(this::execute).toList();
                    return Uni.join().all(runs).andCollectFailures()
                            .flatMap(done -> runPending().map(more -> claimed.size() + more));
                });
    }

    private Uni<Void> execute(ClaimedRun run) {
        long started = System.nanoTime();
        return steps(run)
                .invoke(held -> {
                    if (held) {
                        metrics.runEnded("SUCCEEDED", Duration.ofNanos(System.nanoTime() - started));
                    } else {
                        Log.infof("GC run %s was taken over by another instance", run.id());
                        metrics.runEnded("TAKEN_OVER", null);
                    }
                })
                .replaceWithVoid()
                .onFailure().recoverWithUni(failure -> {
                    Log.warnf(failure, "GC run %s of registry %s failed", run.id(), run.registryId());
                    metrics.runEnded("FAILED", Duration.ofNanos(System.nanoTime() - started));
                    return repository.finish(run, instance, "FAILED", "the run failed (its details are in the"
                            + " service's log); the next run of the registry starts afresh");
                });
    }

    /**
     * Steps until the run ends; false when this instance lost it to another (its lease expired). The bytes a step
     * queued are removed from the blob store right after it commits, so a run's bytes are gone when it ends.
     */
    private Uni<Boolean> steps(ClaimedRun run) {
        return repository.step(run, instance, config.lease().toSeconds(), config.gracePeriod().toSeconds(),
                config.batchSize())
                .invoke(step -> metrics.freed(step.swept().bytes()))
                .call(step -> step.swept().blobs() + step.swept().uploads() == 0 ? Uni.createFrom().voidItem()
                        : reclaimer.drain().onFailure().recoverWithItem(failure -> {
                            // the bytes stay queued, and the reclaimer's own rounds remove them
                            Log.warnf("GC run %s: removing the bytes it swept failed: %s", run.id(),
                                    failure.getMessage());
                            return 0L;
                        }))
                .flatMap(step -> !step.held() ? Uni.createFrom().item(false)
                        : step.done() ? Uni.createFrom().item(true) : steps(run));
    }

    /**
     * Gives up this instance's runs at shutdown: they become free to take over at once, and the steps still in
     * flight here find their lease gone and stop.
     */
    public Uni<Integer> releaseLeases() {
        return repository.releaseLeases(instance);
    }
}
