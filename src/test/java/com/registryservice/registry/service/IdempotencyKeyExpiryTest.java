package com.registryservice.registry.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.registryservice.support.Api;
import com.registryservice.support.Database;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;

/** Idempotency-Keys are forgotten after their retention (24 h), so the table holds about a day of creates. */
@QuarkusTest
class IdempotencyKeyExpiryTest {

    @Inject
    IdempotencyKeyExpiry expiry;

    @Inject
    Database database;

    @Test
    void keysOlderThanTheRetentionAreDeletedAndYoungerOnesKept() throws Throwable {
        String contract = Api.uniqueName("expiry");
        database.update("insert into idempotency_key (contract, key, request_hash, registry_id, created_at)"
                + " select $1, 'key-' || h, 'hash', gen_random_uuid(), now() - make_interval(hours => h)"
                + " from unnest(array[25, 23]) h", contract);

        // on a Vert.x context, as the scheduler runs it: the transaction needs one
        VertxContextSupport.subscribeAndAwait(expiry::expire);

        List<String> left = database.query("select key from idempotency_key where contract = $1", contract).stream()
                .map(row -> row.getString("key")).toList();
        assertEquals(List.of("key-23"), left);
    }
}
