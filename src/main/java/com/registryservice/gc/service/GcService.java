package com.registryservice.gc.service;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.registryservice.api.ApiException;
import com.registryservice.api.ErrorCode;
import com.registryservice.api.Listing;
import com.registryservice.api.Listings;
import com.registryservice.gc.GcRun;
import com.registryservice.gc.GcSchedule;
import com.registryservice.gc.GcSlots;
import com.registryservice.gc.repository.GcRepository;
import com.registryservice.gc.repository.GcSlotRepository;
import com.registryservice.security.Actor;

import io.smallrye.mutiny.Uni;

/**
 * Garbage collection as the API and the other features see it: the runs API (list, read, trigger) and the one
 * entry point of the registry feature, {@link #scheduleChanged}. The work itself is the {@link Collector}'s.
 */
@ApplicationScoped
public class GcService {

    private final GcRepository repository;
    private final GcSlotRepository slots;
    private final Listings listings;
    private final GcJob job;

    public GcService(GcRepository repository, GcSlotRepository slots, Listings listings, GcJob job) {
        this.repository = repository;
        this.slots = slots;
        this.listings = listings;
        this.job = job;
    }

    /** A page of runs, with the registry's next scheduled slot. */
    public record RunListing(Listing<GcRun> runs, Optional<Instant> nextScheduledRun) {
    }

    /**
     * A registry was created or its schedule changed: the next slot is computed afresh by the database's clock, and
     * scheduled runs of the old schedule that have not started never will. Runs in the caller's transaction (the
     * registry's), so that the registry and its slot commit together.
     */
    public Uni<Void> scheduleChanged(UUID registry, GcSchedule schedule) {
        return slots.now()
                .flatMap(now -> slots.setNextRun(registry, GcSlots.nextAfter(schedule, now)))
                .flatMap(slot -> slots.skipQueuedScheduledRuns(registry))
                .replaceWithVoid();
    }

    /** Queues a manual run, which this instance starts at once; 409 naming the active run if there is one. */
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
                })
                .invoke(job::kick);
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
                .flatMap(nextRun -> listings.page(query, token, limit,
                        (cursor, fetch) -> repository.page(registry, cursor, fetch), GcRepository::pageKey)
                        .map(runs -> new RunListing(runs, nextRun)));
    }

    /**
     * Fails with 404 unless the registry is one of the caller's contract; answers its next scheduled slot, which
     * the same query reads (one query for both).
     */
    private Uni<Optional<Instant>> requireRegistry(UUID registry, Actor actor) {
        return repository.nextScheduledRun(registry, actor.contract())
                .onItem().ifNull().failWith(() -> registryNotFound(registry));
    }

    private static ApiException registryNotFound(UUID registry) {
        return ApiException.notFound("Registry " + registry + " does not exist");
    }
}
