package com.registryservice.token;

import static com.registryservice.support.Api.as;
import static com.registryservice.support.Api.asUser;
import static com.registryservice.support.Api.awaitProvisioned;
import static com.registryservice.support.Api.create;
import static com.registryservice.support.Api.uniqueName;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.registryservice.support.Database;

import io.quarkus.test.junit.QuarkusTest;

/** The tokens API: create (the password shown once, stored hashed), list, get, replace, update, delete, isolation. */
@QuarkusTest
class TokensApiTest {

    @Inject
    Database database;

    static String registry() {
        String id = create(uniqueName("tok"));
        awaitProvisioned(id);
        return id;
    }

    static Map<String, Object> token(String name, List<Map<String, Object>> scopes) {
        return Map.of("properties", Map.of("name", name, "scopes", scopes));
    }

    static Map<String, Object> scope(String name, String... actions) {
        return Map.of("name", name, "type", "repository", "actions", List.of(actions));
    }

    @Test
    void aCreatedTokenShowsItsPasswordOnceAndStoresOnlyASaltedHash() {
        String registry = registry();
        var created = asUser().body(token("ci", List.of(scope("team/*", "pull", "push"))))
                .post("/registries/{id}/tokens", registry).then().statusCode(201)
                .body("type", equalTo("token")).body("properties.name", equalTo("ci"))
                .body("properties.status", equalTo("enabled")).body("properties.credentials.username", equalTo("ci"))
                .body("properties.scopes[0].actions", equalTo(List.of("pull", "push")))
                .body("metadata.createdBy", equalTo("tester")).body("metadata.state", equalTo("RUNNING")).extract();
        String id = created.path("id");
        String password = created.path("properties.credentials.password");
        assertEquals(43, password.length(), "256 random bits, base64url");
        assertEquals(created.header("Location"), created.path("href"));
        asUser().get("/registries/{id}/tokens/{token}", registry, id).then().statusCode(200)
                .body("properties.credentials.username", equalTo("ci"))
                // the IONOS schema requires the member: empty once the create has shown the password
                .body("properties.credentials.password", equalTo("")).body("metadata.state", equalTo("RUNNING"));
        asUser().get("/registries/{id}/tokens", registry).then().statusCode(200).body("total", equalTo(1))
                .body("items", hasSize(1)).body("items[0].properties.credentials.password", equalTo(""))
                .body("_links.self", containsString("/tokens")).body("links", nullValue());
        String stored = database.query("select password_hash from token where id = $1::uuid", id).get(0).getString(0);
        assertTrue(stored.startsWith("pbkdf2-sha256$"), stored);
        assertFalse(stored.contains(password));
        String other = asUser().body(token("ci2", List.of())).post("/registries/{id}/tokens", registry).then()
                .statusCode(201).extract().path("properties.credentials.password");
        assertFalse(other.equals(password));
    }

    @Test
    void tokenNamesFollowTheIonosPattern() {
        String registry = registry();
        // ^[A-Za-z][-A-Za-z0-9]{0,61}[A-Za-z0-9]$: capitals are fine, a digit first or one character is not
        for (String name : List.of("PushToken", "Push-Token-1", "ab")) {
            asUser().body(token(name, List.of())).post("/registries/{id}/tokens", registry).then().statusCode(201)
                    .body("properties.name", equalTo(name)).body("properties.credentials.username", equalTo(name));
        }
        for (String name : List.of("1bad", "a", "ends-", "has_underscore", "x".repeat(64))) {
            asUser().body(token(name, List.of())).post("/registries/{id}/tokens", registry).then().statusCode(400)
                    .body("messages[0].errorCode", equalTo("INVALID_FIELD"))
                    .body("messages[0].message", containsString("properties.name"));
        }
    }

    @Test
    void aTakenNameIsAConflictAndBadFieldsAreNamed() {
        String registry = registry();
        asUser().body(token("ci", List.of())).post("/registries/{id}/tokens", registry).then().statusCode(201);
        asUser().body(token("ci", List.of())).post("/registries/{id}/tokens", registry).then().statusCode(409)
                .body("messages[0].errorCode", equalTo("CONFLICT"));
        asUser().body(Map.of("properties", Map.of("name", "Bad_Name", "status", "sometimes",
                "expiryDate", "2001-01-01T00:00:00Z", "scopes", List.of(Map.of("name", "app", "type", "registry",
                        "actions", List.of("fly")))))).post("/registries/{id}/tokens", registry).then()
                .statusCode(400).body("httpStatus", equalTo(400))
                .body("messages.message", hasItem(containsString("properties.name")))
                .body("messages.message", hasItem(containsString("properties.status")))
                .body("messages.message", hasItem(containsString("properties.expiryDate")))
                .body("messages.message", hasItem(containsString("properties.scopes[0].type")))
                .body("messages.message", hasItem(containsString("properties.scopes[0].actions")))
                // values outside an enum are INVALID_REQUEST_BODY, as for a registry's days; broken rules INVALID_FIELD
                .body("messages.find { it.message.startsWith('properties.status') }.errorCode",
                        equalTo("INVALID_REQUEST_BODY"))
                .body("messages.find { it.message.startsWith('properties.scopes[0].type') }.errorCode",
                        equalTo("INVALID_REQUEST_BODY"))
                .body("messages.find { it.message.startsWith('properties.scopes[0].actions') }.errorCode",
                        equalTo("INVALID_REQUEST_BODY"))
                .body("messages.find { it.message.startsWith('properties.name') }.errorCode", equalTo("INVALID_FIELD"));
    }

    @Test
    void anExpiryDateIsAnRfc3339StringBeforeTheYear10000() {
        String registry = registry();
        // future times as seconds since 1970, as a number and as a string: no RFC 3339 time
        Object[][] cases = { { "not-a-date", "RFC 3339" }, { 1e308, "RFC 3339" }, { 4102444800L, "RFC 3339" },
                { "4102444800", "RFC 3339" }, { 4102444800.5, "RFC 3339" },
                { "+999999999-12-31T23:59:59Z", "10000" }, { Map.of("a", 1), "RFC 3339" } };
        for (Object[] c : cases) {
            var answer = asUser().body(Map.of("properties", Map.of("name", "exp", "scopes", List.of(), "expiryDate",
                    c[0]))).post("/registries/{id}/tokens", registry).then();
            org.junit.jupiter.api.Assertions.assertEquals(400, answer.extract().statusCode(), "expiryDate " + c[0]);
            answer
                    .body("messages[0].message", containsString("expiryDate"))
                    .body("messages[0].message", containsString((String) c[1]));
        }
    }

    @Test
    void scopeListsAreBoundedAndRefusedInOneMessage() {
        String registry = registry();
        List<Map<String, Object>> many = java.util.Collections.nCopies(101, scope("app", "pull"));
        asUser().body(token("many", many)).post("/registries/{id}/tokens", registry).then().statusCode(400)
                .body("messages", org.hamcrest.Matchers.hasSize(1))
                .body("messages[0].message", containsString("at most 100"));
        String[] repeated = java.util.Collections.nCopies(10_000, "pull").toArray(String[]::new);
        asUser().body(token("long", List.of(scope("app", repeated)))).post("/registries/{id}/tokens", registry)
                .then().statusCode(400).body("messages[0].message", containsString("properties.scopes[0].actions"));
    }

    @Test
    void putCreatesThenReplacesAndPatchChangesOnlyWhatItNames() {
        String registry = registry();
        String id = UUID.randomUUID().toString();
        asUser().body(token("deploy", List.of(scope("app", "pull")))).put("/registries/{id}/tokens/{t}", registry, id)
                .then().statusCode(201).body("id", equalTo(id))
                .body("properties.credentials.password", org.hamcrest.Matchers.notNullValue());
        asUser().body(Map.of("properties", Map.of("name", "deploy", "status", "disabled", "scopes",
                List.of(scope("app", "pull", "push"))))).put("/registries/{id}/tokens/{t}", registry, id).then()
                .statusCode(200).body("properties.status", equalTo("disabled"))
                .body("properties.scopes[0].actions", equalTo(List.of("pull", "push")))
                .body("properties.credentials.password", equalTo(""));
        asUser().body(token("renamed", List.of())).put("/registries/{id}/tokens/{t}", registry, id).then()
                .statusCode(400).body("messages[0].message", containsString("cannot change"))
                .body("messages[0].errorCode", equalTo("FIELD_NOT_CHANGEABLE"));
        asUser().body(Map.of("status", "enabled")).patch("/registries/{id}/tokens/{t}", registry, id).then()
                .statusCode(200).body("properties.status", equalTo("enabled"))
                .body("properties.scopes[0].actions", equalTo(List.of("pull", "push")));
        // a PATCH in the shape of a POST would have changed nothing, with a 200
        asUser().body(Map.of("properties", Map.of("status", "disabled"))).patch("/registries/{id}/tokens/{t}", registry,
                id).then().statusCode(400).body("messages[0].message", containsString("'properties' is not a field"));
    }

    @Test
    void aDeletedTokenIsGoneAndAnotherContractSeesNoTokens() {
        String registry = registry();
        String id = asUser().body(token("gone", List.of())).post("/registries/{id}/tokens", registry).then()
                .statusCode(201).extract().path("id");
        as("stranger").get("/registries/{id}/tokens/{t}", registry, id).then().statusCode(404);
        as("stranger").get("/registries/{id}/tokens", registry).then().statusCode(404);
        as("stranger").delete("/registries/{id}/tokens/{t}", registry, id).then().statusCode(404);
        asUser().delete("/registries/{id}/tokens/{t}", registry, id).then().statusCode(204);
        asUser().get("/registries/{id}/tokens/{t}", registry, id).then().statusCode(404)
                .body("messages[0].errorCode", equalTo("NOT_FOUND"));
        asUser().delete("/registries/{id}/tokens/{t}", registry, id).then().statusCode(404);
    }

    @Test
    void aPutToAnIdTakenInAnotherRegistryIsAConflictSayingSoNotAboutTheName() {
        String taken = asUser().body(token("first", List.of())).post("/registries/{id}/tokens", registry()).then()
                .statusCode(201).extract().path("id");
        asUser().body(token("second", List.of())).put("/registries/{id}/tokens/{t}", registry(), taken).then()
                .statusCode(409).body("messages[0].message", containsString("token id"))
                .body("messages[0].message", org.hamcrest.Matchers.not(containsString("named")));
    }
}
