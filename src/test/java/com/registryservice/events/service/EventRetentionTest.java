package com.registryservice.events.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.registryservice.support.Api;
import com.registryservice.support.Database;

import io.quarkus.test.junit.QuarkusTest;

/** The event log is bounded: events older than the retention (24 h in tests too) are deleted. */
@QuarkusTest
class EventRetentionTest {

    @Inject
    EventRetention retention;

    @Inject
    Database database;

    @Test
    void eventsOlderThanTheRetentionAreDeletedAndYoungerOnesKept() {
        String contract = Api.uniqueName("retention");
        database.update("insert into event (contract, location, registry_id, type, data, created_at) select $1,"
                + " 'de/fra', gen_random_uuid(), 'registry.updated', '{}', now() - make_interval(hours => h)"
                + " from unnest(array[25, 23]) h", contract);

        // a round the schedule started meanwhile makes this call ask for one more round rather than wait: poll
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            retention.deleteExpired().await().atMost(Duration.ofSeconds(30));
            List<Integer> left = database.query("select extract(hour from now() - created_at)::int as age from event"
                    + " where contract = $1", contract).stream().map(row -> row.getInteger("age")).toList();
            assertEquals(List.of(23), left);
        });
    }
}
