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

    /**
     * {@code setting} names the instance's limit; its {@code -per-registry} setting is the registry's share. The limit
     * must fit {@code largest}, the most one request takes (else that request would never be given it), and the share
     * must be at least 1: checked here, so the service refuses to start with settings that would refuse every request.
     */
    Shares(String setting, long total, long perRegistry, long largest) {
        if (total < largest) {
            throw new IllegalArgumentException(setting + " (" + total + ") must be at least " + largest
                    + (largest == 1 ? "" : ", the most one request takes"));
        }
        if (perRegistry < 1) {
            throw new IllegalArgumentException(setting + "-per-registry (" + perRegistry + ") must be at least 1");
        }
        this.total = total;
        this.perRegistry = perRegistry;
    }

    /**
     * Takes {@code amount} for the registry: empty when it was given, else the bound it would pass. The registry's
     * share is looked at first and the instance's amount is taken only for a request that will be given it, so a
     * request refused for its registry never makes another registry's look refused.
     */
    Optional<Refusal> take(UUID registry, long amount) {
        Refusal[] refused = { null };
        byRegistry.compute(registry, (id, held) -> {
            if (held != null && held + amount > perRegistry) {
                refused[0] = Refusal.REGISTRY;
                return held;
            }
            if (!reserve(amount)) {
                refused[0] = Refusal.INSTANCE;
                return held;
            }
            return held == null ? amount : held + amount;
        });
        return Optional.ofNullable(refused[0]);
    }

    private boolean reserve(long amount) {
        long before;
        do {
            before = taken.get();
            if (before + amount > total) {
                return false;
            }
        } while (!taken.compareAndSet(before, before + amount));
        return true;
    }

    /** Gives back what {@link #take} gave. */
    void give(UUID registry, long amount) {
        byRegistry.computeIfPresent(registry, (id, held) -> held - amount <= 0 ? null : held - amount);
        taken.addAndGet(-amount);
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
