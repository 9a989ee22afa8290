package com.registryservice.gc;

import static com.registryservice.support.Api.as;
import static com.registryservice.support.Api.asUser;
import static com.registryservice.support.Api.awaitProvisioned;
import static com.registryservice.support.Api.create;
import static com.registryservice.support.Api.uniqueName;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.registryservice.support.Database;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class GcRunsApiTest {

    @Inject
    Database database;

    private String registry(String location) {
        String id = create(Map.of("name", uniqueName("runs"), "location", location));
        awaitProvisioned(id);
        return id;
    }

    /** A run of another instance that holds a valid lease: it stays active for the test's duration. */
    private String activeRun(String registry) {
        String run = UUID.randomUUID().toString();
        database.update("insert into gc_run (id, registry_id, trigger, dry_run, status, created_date, created_by,"
                + " started_at, lease_owner, lease_until) values ($1::uuid, $2::uuid, 'MANUAL', false, 'RUNNING', now(),"
                + " 'tester', now(), 'another-instance', now() + interval '10 minutes')", run, registry);
        return run;
    }

    @Test
    void startingARunAnswers202WithLocationAndTheQueuedRun() {
        String id = registry("de/fra");
        String location = asUser().body(Map.of("dryRun", true)).post("/registries/{id}/garbage-collections", id)
                .then().statusCode(202)
                .body("type", equalTo("garbageCollection"))
                .body("properties.trigger", equalTo("MANUAL"))
                .body("properties.dryRun", equalTo(true))
                .body("properties.status", equalTo("QUEUED"))
                .body("metadata.createdBy", equalTo("tester"))
                .body("metadata.createdDate", notNullValue())
                .extract().header("Location");
        asUser().get(location).then().statusCode(200).body("href", equalTo(location));
    }

    @Test
    void theBodyMayBeOmitted() {
        String id = registry("de/fra");
        asUser().post("/registries/{id}/garbage-collections", id).then().statusCode(202)
                .body("properties.dryRun", equalTo(false));
    }

    @Test
    void startingARunWhileOneIsGoingAnswers409NamingIt() {
        String id = registry("de/fra");
        String active = activeRun(id);
        asUser().post("/registries/{id}/garbage-collections", id).then().statusCode(409)
                .body("messages[0].errorCode", equalTo("CONFLICT"))
                .body("messages[0].message", containsString(active));
    }

    @Test
    void runsAreListedNewestFirstAndPagedWithTheNextScheduledRun() {
        String id = registry("de/fra");
        for (int i = 0; i < 3; i++) {
            database.update("insert into gc_run (id, registry_id, trigger, dry_run, status, created_date, created_by,"
                    + " finished_at) values (gen_random_uuid(), $1::uuid, 'MANUAL', false, 'SUCCEEDED',"
                    + " now() - make_interval(mins => $2), 'tester', now())", id, 10 - i);
        }
        var first = asUser().queryParam("limit", 2).get("/registries/{id}/garbage-collections", id).then()
                .statusCode(200)
                .body("id", equalTo("garbage-collections"))
                .body("type", equalTo("collection"))
                .body("items", hasSize(2))
                .body("nextScheduledRun", notNullValue())
                .body("pagination.limit", equalTo(2))
                .extract().jsonPath();
        List<String> created = first.getList("items.metadata.createdDate");
        assertTrue(Instant.parse(created.get(0)).isAfter(Instant.parse(created.get(1))), "newest first: " + created);
        var second = asUser().get(first.getString("_links.next")).then().statusCode(200)
                .body("items", hasSize(1)).extract().jsonPath();
        assertTrue(Instant.parse(created.get(1)).isAfter(Instant.parse(second.getString("items[0].metadata.createdDate"))));
        assertEquals(null, second.getString("pagination.token"));
    }

    @Test
    void aRunOfAnotherRegistryOrAnUnknownRunAnswers404() {
        String id = registry("de/fra");
        String other = registry("de/fra");
        String run = activeRun(other);
        asUser().get("/registries/{id}/garbage-collections/{run}", id, run).then().statusCode(404);
        asUser().get("/registries/{id}/garbage-collections/{run}", id, UUID.randomUUID()).then().statusCode(404);
        asUser().get("/registries/{id}/garbage-collections/{run}", id, "nope").then().statusCode(400);
        asUser().get("/registries/{id}/garbage-collections/{run}", other, run).then().statusCode(200)
                .body("properties.status", equalTo("RUNNING"))
                .body("href", endsWith("/registries/" + other + "/garbage-collections/" + run));
    }

    @Test
    void runsHaveTheRegistrysPermissionsAndTenantIsolation() {
        String fra = registry("de/fra");
        String txl = registry("de/txl");
        as("editor").get("/registries/{id}/garbage-collections", fra).then().statusCode(200);
        as("editor").get("/registries/{id}/garbage-collections", txl).then().statusCode(403);
        as("editor").post("/registries/{id}/garbage-collections", txl).then().statusCode(403);
        as("reader").get("/registries/{id}/garbage-collections", fra).then().statusCode(403);
        as("stranger").get("/registries/{id}/garbage-collections", fra).then().statusCode(404);
        as("stranger").post("/registries/{id}/garbage-collections", fra).then().statusCode(404);
        as("stranger").get("/registries/{id}/repositories", fra).then().statusCode(404);
        asUser().get("/registries/{id}/garbage-collections", UUID.randomUUID()).then().statusCode(404);
    }
}
