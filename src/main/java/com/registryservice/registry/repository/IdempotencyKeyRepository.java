package com.registryservice.registry.repository;

import java.time.Duration;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** The Idempotency-Keys of creates, per contract; see {@code V4__idempotency_keys.sql}. */
@ApplicationScoped
public class IdempotencyKeyRepository {

    /** What a key was first used for. */
    public record Use(String requestHash, UUID registryId) {
    }

    /**
     * Records the key for this request, unless it was recorded within {@code retention}: then answers that earlier
     * use. Runs in the caller's transaction; a concurrent first use of the key is waited for (its row lock).
     */
    public Uni<Use> claim(String contract, String key, String requestHash, UUID registryId, Duration retention) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery(
                "insert into idempotency_key (contract, key, request_hash, registry_id) values (:contract, :key,"
                        + " :hash, :registry) on conflict (contract, key) do update set request_hash ="
                        + " excluded.request_hash, registry_id = excluded.registry_id, created_at = now()"
                        // an expired key is taken over; a live one is left as it is, and no row comes back
                        + " where idempotency_key.created_at < now() - make_interval(secs => :retention)"
                        + " returning request_hash, registry_id", Object[].class)
                .setParameter("contract", contract).setParameter("key", key).setParameter("hash", requestHash)
                .setParameter("registry", registryId).setParameter("retention", (double) retention.toSeconds())
                .getResultList()
                .flatMap(claimed -> !claimed.isEmpty() ? Uni.createFrom().item(use(claimed.get(0)))
                        : session.createNativeQuery("select request_hash, registry_id from idempotency_key"
                                + " where contract = :contract and key = :key", Object[].class)
                                .setParameter("contract", contract).setParameter("key", key)
                                .getSingleResult().map(IdempotencyKeyRepository::use)));
    }

    /** Forgets the keys older than {@code retention}; answers how many. */
    public Uni<Integer> deleteExpired(Duration retention) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery(
                "delete from idempotency_key where created_at < now() - make_interval(secs => :retention)")
                .setParameter("retention", (double) retention.toSeconds())
                .executeUpdate());
    }

    private static Use use(Object[] row) {
        return new Use((String) row[0], (UUID) row[1]);
    }
}
