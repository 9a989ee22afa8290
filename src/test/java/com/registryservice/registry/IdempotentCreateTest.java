package com.registryservice.registry;

import static com.registryservice.support.Api.as;
import static com.registryservice.support.Api.asUser;
import static com.registryservice.support.Api.body;
import static com.registryservice.support.Api.uniqueName;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.registryservice.support.Concurrently;
import com.registryservice.support.Database;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/** POST /registries with an Idempotency-Key: a retry answers the first request's registry and creates nothing. */
@QuarkusTest
class IdempotentCreateTest {

    @Inject
    Database database;

    private static String newKey() {
        return UUID.randomUUID().toString();
    }

    private static ValidatableResponse post(String user, String key, Object body) {
        return as(user).header("Idempotency-Key", key).body(body).post("/registries").then();
    }

    private static void assertOneRegistryNamed(String name) {
        asUser().queryParam("filter.name", name).get("/registries").then().statusCode(200).body("items", hasSize(1));
    }

    @Test
    void aRetryWithTheSameKeyAndBodyAnswersTheSameRegistryWithoutCreatingAnother() {
        String key = newKey();
        String name = uniqueName("idem");
        ValidatableResponse first = post("tester", key, body(name, "de/fra")).statusCode(201)
                .header("Idempotent-Replayed", nullValue());
        String id = first.extract().path("id");
        String location = first.extract().header("Location");

        post("tester", key, body(name, "de/fra")).statusCode(201)
                .header("Idempotent-Replayed", equalTo("true"))
                .header("Location", equalTo(location))
                .body("id", equalTo(id))
                .body("properties.name", equalTo(name));
        assertOneRegistryNamed(name);
    }

    @Test
    void theSameBodyWrittenDifferentlyIsTheSameRequest() {
        String key = newKey();
        String name = uniqueName("idem-fmt");
        String id = as("tester").header("Idempotency-Key", key)
                .body("{\"properties\": {\"name\": \"" + name + "\", \"location\": \"de/fra\"}}")
                .post("/registries").then().statusCode(201).extract().path("id");
        as("tester").header("Idempotency-Key", key)
                .body("{ \"properties\":{ \"location\":\"de/fra\",\n \"name\":\"" + name + "\" } }")
                .post("/registries").then().statusCode(201).body("id", equalTo(id));
    }

    @Test
    void theSameKeyWithAnotherBodyIs422() {
        String key = newKey();
        post("tester", key, body(uniqueName("idem-a"), "de/fra")).statusCode(201);
        String other = uniqueName("idem-b");
        post("tester", key, body(other, "de/fra")).statusCode(422)
                .body("httpStatus", equalTo(422))
                .body("messages[0].errorCode", equalTo("IDEMPOTENCY_KEY_REUSED"))
                .body("messages[0].message", containsString(key));
        asUser().queryParam("filter.name", other).get("/registries").then().body("items", hasSize(0));
    }

    @Test
    void keysArePerContract() {
        String key = newKey();
        String mine = post("tester", key, body(uniqueName("idem-mine"), "de/fra")).statusCode(201).extract().path("id");
        String theirs = post("stranger", key, body(uniqueName("idem-theirs"), "de/fra")).statusCode(201)
                .header("Idempotent-Replayed", nullValue()).extract().path("id");
        assertNotEquals(mine, theirs);
    }

    @Test
    void theKeyIsStoredInTheDatabaseWithTheRegistryItCreated() {
        String key = newKey();
        String id = post("tester", key, body(uniqueName("idem-db"), "de/fra")).statusCode(201).extract().path("id");
        var rows = database.query("select registry_id::text as id from idempotency_key where contract = '1001'"
                + " and key = $1", key);
        assertEquals(1, rows.size());
        assertEquals(id, rows.get(0).getString("id"));
    }

    @Test
    void concurrentRetriesCreateOneRegistryAndAllAnswer201() {
        String key = newKey();
        String name = uniqueName("idem-race");
        String json = "{\"properties\": {\"name\": \"" + name + "\", \"location\": \"de/fra\"}}";
        List<Integer> statuses = Concurrently.send("POST", "/registries", Collections.nCopies(4, json),
                Map.of("Idempotency-Key", key));
        assertEquals(List.of(201, 201, 201, 201), statuses);
        assertOneRegistryNamed(name);
    }

    @Test
    void aFailedCreateLeavesNoKeyBehind() {
        String key = newKey();
        String taken = uniqueName("idem-taken");
        asUser().body(body(taken, "de/fra")).post("/registries").then().statusCode(201);
        post("tester", key, body(taken, "de/fra")).statusCode(409);
        post("tester", key, body(uniqueName("idem-free"), "de/fra")).statusCode(201)
                .header("Idempotent-Replayed", nullValue());
    }

    @Test
    void anExpiredKeyIsANewKey() {
        String key = newKey();
        String first = post("tester", key, body(uniqueName("idem-old"), "de/fra")).statusCode(201).extract().path("id");
        database.update("update idempotency_key set created_at = now() - interval '25 hours' where key = $1", key);
        post("tester", key, body(uniqueName("idem-new"), "de/fra")).statusCode(201)
                .header("Idempotent-Replayed", nullValue())
                .body("id", not(equalTo(first)));
    }

    @Test
    void aRetryAfterTheRegistryWasDeletedSaysSo() {
        String key = newKey();
        String name = uniqueName("idem-gone");
        String id = post("tester", key, body(name, "de/fra")).statusCode(201).extract().path("id");
        asUser().delete("/registries/{id}", id).then().statusCode(204);
        post("tester", key, body(name, "de/fra")).statusCode(404)
                .body("messages[0].message", containsString("deleted since"));
    }

    @Test
    void aMalformedKeyIs400() {
        post("tester", "", body(uniqueName("idem-bad"), "de/fra")).statusCode(400)
                .body("messages[0].errorCode", equalTo("INVALID_PARAMETER"))
                .body("messages[0].message", containsString("Idempotency-Key"));
        post("tester", "x".repeat(256), body(uniqueName("idem-bad"), "de/fra")).statusCode(400);
    }
}
