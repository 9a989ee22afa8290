package com.registryservice.gc.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.registryservice.api.ApiException;
import com.registryservice.api.ErrorCode;
import com.registryservice.api.Page;
import com.registryservice.api.PaginationTokens;
import com.registryservice.gc.GcRun;
import com.registryservice.gc.repository.GcRepository;
import com.registryservice.gc.repository.GcRepository.ClaimedRun;
import com.registryservice.gc.repository.GcRepository.Swept;
import com.registryservice.registry.RegistryConfig;
import com.registryservice.registry.service.GcSchedule;
import com.registryservice.registry.service.GcSlots;
import com.registryservice.security.Actor;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * Garbage collection: turns due schedule slots into runs (exactly once, whatever the number of instances), works
 * on runs under a renewable lease, and serves the runs API.
 */
@ApplicationScoped
public class GcService {

    /** This instance's name in leases: unique per process by default, so that a restarted instance is another owner. */
    private final String instance;
    private final GcRepository repository;
    private final RegistryConfig.Gc config;
    private final PaginationTokens tokens;
    private final GcMetrics metrics;

    public GcService(GcRepository repository, RegistryConfig config, PaginationTokens tokens, GcMetrics metrics) {
        this.repository = repository;
        this.config = config.gc();
        this.instance = config.gc().instanceName().orElseGet(() -> UUID.randomUUID().toString());
        this.tokens = tokens;
        this.metrics = metrics;
    }

    /** A page of runs, with the registry's next scheduled slot. */
    public record RunListing(List<GcRun> items, int limit, Optional<String> next, Optional<String> previous,
            Optional<Instant> nextScheduledRun) {
    }

    /**
     * Claims the registries whose slot is due and records one run for each, in one transaction per batch, until
     * none is due. Slots missed while no instance ran coalesce into one run, recorded with the latest missed slot.
     *
     * @return how many runs (queued or skipped) were recorded
     */
    public Uni<Integer> scheduleDueRuns() {
        return scheduleBatch().flatMap(batch -> batch.full()
                ? scheduleDueRuns().map(more -> batch.recorded() + more)
                : Uni.createFrom().item(batch.recorded()));
    }

    /** One claim: how many runs it recorded, and whether it was full (so that more may be due). */
    private record Batch(int recorded, boolean full) {
    }

    private Uni<Batch> scheduleBatch() {
        return repository.inTransaction(conn -> repository.now(conn)
                .flatMap(now -> repository.lockDue(conn, config.claimBatchSize()).flatMap(due -> {
                    if (due.isEmpty()) {
                        return Uni.createFrom().item(new Batch(0, false));
                    }
                    List<UUID> ids = new ArrayList<>();
                    List<Instant> slots = new ArrayList<>();
                    List<Instant> next = new ArrayList<>();
                    for (GcRepository.DueRegistry registry : due) {
                        GcSchedule schedule = GcSchedule.fromStored(registry.days(), registry.time());
                        ids.add(registry.id());
                        slots.add(GcSlots.latestAtOrBefore(schedule, now));
                        next.add(GcSlots.nextAfter(schedule, now));
                    }
                    return repository.recordScheduledRuns(conn, ids, slots, next)
                            .invoke(recorded -> metrics.runsSkipped(recorded.skipped()))
                            .map(recorded -> new Batch(recorded.total(), due.size() == config.claimBatchSize()));
                })));
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
        return step(run)
                .invoke(() -> metrics.runEnded("SUCCEEDED", Duration.ofNanos(System.nanoTime() - started)))
                .onFailure(LeaseLost.class).recoverWithItem(() -> {
                    Log.infof("GC run %s was taken over by another instance", run.id());
                    metrics.runEnded("TAKEN_OVER", null);
                    return null;
                })
                .onFailure().recoverWithUni(failure -> {
                    Log.warnf(failure, "GC run %s of registry %s failed", run.id(), run.registryId());
                    metrics.runEnded("FAILED", Duration.ofNanos(System.nanoTime() - started));
                    return repository.finish(run.id(), run.registryId(), instance, "FAILED", Optional.empty(),
                            "the run failed: " + failure.getClass().getSimpleName());
                });
    }

    /**
     * Gives up this instance's runs at shutdown: they become free to take over at once, and the steps still in
     * flight here find their lease gone and stop.
     */
    public Uni<Integer> releaseLeases() {
        return repository.releaseLeases(instance);
    }

    /**
     * One transaction of a run: renew the lease, delete a batch of untagged manifests, then (once no manifest is
     * left to collect) a batch of unreferenced blobs; when both come up short the run ends in the same
     * transaction, so that a registry with little to collect costs one commit. A dry run counts instead.
     */
    private Uni<Void> step(ClaimedRun run) {
        long grace = config.gracePeriod().toSeconds();
        int batch = config.batchSize();
        return repository.inTransaction(conn -> repository.renewLease(conn, run.id(), instance,
                config.lease().toSeconds())
                .flatMap(held -> {
                    if (!held) {
                        return Uni.createFrom().failure(new LeaseLost());
                    }
                    if (run.dryRun()) {
                        return repository.countCollectable(conn, run.registryId(), grace)
                                .flatMap(counts -> repository.finish(conn, run.id(), run.registryId(), instance,
                                        "SUCCEEDED", Optional.of(counts), "dry run: nothing was deleted"))
                                .replaceWith(true);
                    }
                    return repository.sweepManifests(conn, run.registryId(), grace, batch)
                            .flatMap(manifests -> manifests.manifests() == batch
                                    ? Uni.createFrom().item(new Swept(manifests.manifests(), 0, manifests.bytes()))
                                    : repository.sweepBlobs(conn, run.registryId(), grace, batch)
                                            .map(blobs -> new Swept(manifests.manifests(), blobs.blobs(),
                                                    manifests.bytes() + blobs.bytes())))
                            .call(swept -> repository.addToCounters(conn, run.id(), swept))
                            .invoke(swept -> metrics.freed(swept.bytes()))
                            .flatMap(swept -> {
                                boolean done = swept.manifests() < batch && swept.blobs() < batch;
                                return done ? repository.finish(conn, run.id(), run.registryId(), instance,
                                        "SUCCEEDED", Optional.empty(), null).replaceWith(true)
                                        : Uni.createFrom().item(false);
                            });
                }))
                .flatMap(done -> done ? Uni.createFrom().voidItem() : step(run));
    }

    /** Queues a manual run; 409 naming the active run if there is one. */
    public Uni<GcRun> trigger(UUID registry, boolean dryRun, Actor actor) {
        return repository.queueManual(registry, actor.contract(), dryRun, actor.name())
                .onItem().ifNull().failWith(() -> registryNotFound(registry))
                .map(outcome -> {
                    if (outcome.active() != null) {
                        throw ApiException.conflict(ErrorCode.CONFLICT, "garbage collection run "
                                + outcome.active().id() + " of this registry is " + outcome.active().status()
                                .toLowerCase(java.util.Locale.ROOT) + "; wait for it to finish");
                    }
                    return outcome.queued();
                });
    }

    public Uni<GcRun> get(UUID registry, UUID run, Actor actor) {
        return requireRegistry(registry, actor)
                .flatMap(ignored -> repository.findRun(registry, run))
                .onItem().ifNull().failWith(() -> ApiException.notFound(
                        "Garbage collection run " + run + " of registry " + registry + " does not exist"));
    }

    public Uni<RunListing> list(UUID registry, int limit, Optional<String> token, Actor actor) {
        String query = "garbage-collections?registry=" + registry;
        return requireRegistry(registry, actor)
                .flatMap(nextRun -> tokens.decode(token, query)
                        .flatMap(cursor -> repository.page(registry, cursor, limit + 1)
                                .map(rows -> Page.of(rows, limit, cursor, GcRepository::pageKey)))
                        .flatMap(page -> encode(page.next(), query).flatMap(next -> encode(page.previous(), query)
                                .map(previous -> new RunListing(page.items(), limit, next, previous, nextRun)))));
    }

    /**
     * Fails with 404 unless the registry is one of the caller's contract; answers its next scheduled slot, which
     * the same row holds (one query for both).
     */
    private Uni<Optional<Instant>> requireRegistry(UUID registry, Actor actor) {
        return repository.nextScheduledRun(registry, actor.contract())
                .onItem().ifNull().failWith(() -> registryNotFound(registry));
    }

    private Uni<Optional<String>> encode(Optional<Page.Cursor> cursor, String query) {
        return cursor.isEmpty() ? Uni.createFrom().item(Optional.empty())
                : tokens.encode(cursor.get(), query).map(Optional::of);
    }

    private static ApiException registryNotFound(UUID registry) {
        return ApiException.notFound("Registry " + registry + " does not exist");
    }

    /** This instance no longer holds the run: another took it over after the lease expired. */
    static final class LeaseLost extends RuntimeException {
        LeaseLost() {
            super("lease lost", null, false, false);
        }
    }
}
