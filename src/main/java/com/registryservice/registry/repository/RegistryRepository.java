package com.registryservice.registry.repository;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import com.registryservice.registry.Registry;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/** Stores registries; the API's reads that change nothing are {@link RegistryReads}'. */
@ApplicationScoped
@WithSession
public class RegistryRepository implements PanacheRepositoryBase<Registry, UUID> {

    /** The registry, whatever its contract, locked until the transaction ends, so that writes to it take turns. */
    public Uni<Registry> findForUpdate(UUID id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /** The registry of this contract, or null. */
    public Uni<Registry> find(String contract, UUID id) {
        // by primary key, without a query to parse or plan: the hottest read of the API
        return findById(id).map(found -> found != null && found.contract.equals(contract) ? found : null);
    }

    public Uni<Boolean> nameExists(String name) {
        return count("name", name).map(n -> n > 0);
    }

    /**
     * Registries waiting for provisioning, locked; rows another instance has locked are skipped, so instances
     * share the work without waiting for each other.
     */
    public Uni<List<Registry>> lockPendingProvisioning(int max) {
        return getSession().flatMap(session -> session
                .createNativeQuery("select id from registry where state = 'BUSY' order by id limit :max"
                        + " for update skip locked", UUID.class)
                .setParameter("max", max)
                .getResultList())
                // the rows are this transaction's now: read them as entities
                .flatMap(ids -> ids.isEmpty() ? Uni.createFrom().item(List.<Registry>of()) : list("id in ?1", ids));
    }

    /** How many registries there are in each state (all contracts). */
    public Uni<java.util.Map<Registry.State, Long>> countByState() {
        return getSession().flatMap(session -> session
                .createSelectionQuery("select state, count(*) from Registry group by state", Object[].class)
                .getResultList())
                .map(rows -> {
                    java.util.Map<Registry.State, Long> counts = new java.util.EnumMap<>(Registry.State.class);
                    rows.forEach(row -> counts.put((Registry.State) row[0], (Long) row[1]));
                    return counts;
                });
    }
}
