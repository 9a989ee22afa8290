package com.registryservice.oci;

import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Something one instance has a fixed amount of (uploads streaming, memory for manifests being received), handed out
 * to requests, of which one registry holds at most its share: one tenant's pushes leave the rest to the others. A
 * registry that holds nothing is always given what fits the instance, so that no share can be set too small for one
 * request. Only registries holding something have an entry.
 */
final class Shares {

    /** Which bound a request would pass. */
    enum Refusal {
        INSTANCE, REGISTRY
    }

    private final long total;
    private final long perRegistry;
    private final AtomicLong taken = new AtomicLong();
    private final ConcurrentHashMap<UUID, Long> byRegistry = new ConcurrentHashMap<>();

    Shares(long total, long perRegistry) {
        this.total = total;
        this.perRegistry = perRegistry;
    }

    /** Takes {@code amount} for the registry: empty when it was given, else the bound it would pass. */
    Optional<Refusal> take(UUID registry, long amount) {
        if (taken.addAndGet(amount) > total) {
            taken.addAndGet(-amount);
            return Optional.of(Refusal.INSTANCE);
        }
        boolean[] given = { false };
        byRegistry.compute(registry, (id, held) -> {
            if (held != null && held + amount > perRegistry) {
                return held;
            }
            given[0] = true;
            return held == null ? amount : held + amount;
        });
        if (!given[0]) {
            taken.addAndGet(-amount);
            return Optional.of(Refusal.REGISTRY);
        }
        return Optional.empty();
    }

    /** Gives back what {@link #take} gave. */
    void give(UUID registry, long amount) {
        taken.addAndGet(-amount);
        byRegistry.computeIfPresent(registry, (id, held) -> held - amount <= 0 ? null : held - amount);
    }

    /** How many registries hold something now (entries of idle registries are dropped). */
    int registriesHolding() {
        return byRegistry.size();
    }

    long total() {
        return total;
    }

    long perRegistry() {
        return perRegistry;
    }
}
