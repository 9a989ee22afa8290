package com.registryservice.registry.repository;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import com.registryservice.api.Page;
import com.registryservice.registry.Registry;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;

/** Stores registries. Listing is keyset-paged on the unique name, so any page costs the same as the first. */
@ApplicationScoped
@WithSession
public class RegistryRepository implements PanacheRepositoryBase<Registry, UUID> {

    /**
     * Up to {@code fetch} registries of the contract, in the given locations (all when empty), whose name contains
     * {@code filter} (case-insensitive, literally), strictly after or before the cursor, in the cursor's direction.
     */
    public Uni<List<Registry>> page(String contract, Optional<Set<String>> locations, Optional<String> filter,
            Optional<Page.Cursor> cursor, int fetch) {
        StringBuilder where = new StringBuilder("contract = :contract");
        Parameters params = Parameters.with("contract", contract);
        locations.ifPresent(l -> {
            where.append(" and location in :locations");
            params.and("locations", l);
        });
        filter.filter(f -> !f.isEmpty()).ifPresent(f -> {
            where.append(" and name like :pattern escape '!'");
            params.and("pattern", "%" + likeLiteral(f.toLowerCase(java.util.Locale.ROOT)) + "%");
        });
        boolean forward = cursor.map(Page.Cursor::forward).orElse(true);
        cursor.ifPresent(c -> {
            where.append(c.forward() ? " and name > :key" : " and name < :key");
            params.and("key", c.key());
        });
        String order = forward ? " order by name asc" : " order by name desc";
        return find(where + order, params).page(0, fetch).list();
    }

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

    /** Escapes LIKE wildcards so that '%' and '_' in a filter match themselves. */
    static String likeLiteral(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }
}
