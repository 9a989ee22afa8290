package com.registryservice.gc.repository;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.registryservice.gc.GcSlot;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/**
 * The registries' next GC slots. A Panache repository, because a schedule change is part of the registry feature's
 * transaction (its session): the new slot and the registry commit together, or neither does.
 */
@ApplicationScoped
@WithSession
public class GcSlotRepository implements PanacheRepositoryBase<GcSlot, UUID> {

    /** The database's clock: the one clock all instances (and the scheduler's claims) agree on. */
    public Uni<Instant> now() {
        return getSession().flatMap(session -> session
                .createNativeQuery("select cast(extract(epoch from now()) * 1000000 as bigint)", Long.class)
                .getSingleResult())
                .map(micros -> Instant.EPOCH.plus(micros, java.time.temporal.ChronoUnit.MICROS));
    }

    /** Sets the registry's next slot, creating its row on the first call. */
    public Uni<GcSlot> setNextRun(UUID registry, Instant next) {
        return findById(registry).flatMap(found -> {
            if (found != null) {
                found.nextRun = next;
                return Uni.createFrom().item(found);
            }
            GcSlot slot = new GcSlot();
            slot.registryId = registry;
            slot.nextRun = next;
            return persist(slot);
        });
    }

    /** Marks the registry's scheduled runs that have not started as skipped, because its schedule changed. */
    public Uni<Integer> skipQueuedScheduledRuns(UUID registry) {
        return getSession().flatMap(session -> session
                .createNativeQuery("update gc_run set status = 'SKIPPED', finished_at = now(), message ="
                        + " 'skipped: the schedule changed before the run started' where registry_id = :id"
                        + " and status = 'QUEUED' and trigger = 'SCHEDULED'")
                .setParameter("id", registry)
                .executeUpdate());
    }
}
