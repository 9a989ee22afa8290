package com.registryservice.support;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/** Shared fixtures of the API tests: authenticated requests, unique names, registries to work on. */
public final class Api {

    public static final String USER = "tester";
    public static final String PASSWORD = "tester-password";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private Api() {
    }

    /** A request as the test user (owner of contract 1001), sending and accepting JSON. */
    public static RequestSpecification asUser() {
        return as(USER);
    }

    /** A request as one of the test users of {@code test-users.properties}; each password is {@code <user>-password}. */
    public static RequestSpecification as(String user) {
        return given().auth().preemptive().basic(user, user + "-password").contentType(ContentType.JSON)
                .accept(ContentType.JSON);
    }

    /** The Authorization header of a test user, for clients other than RestAssured. */
    public static String basicAuth(String user) {
        return "Basic " + java.util.Base64.getEncoder()
                .encodeToString((user + ":" + user + "-password").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** A registry name no other test uses, starting with {@code prefix}. */
    public static String uniqueName(String prefix) {
        String suffix = Long.toString(System.nanoTime(), 36) + SEQUENCE.incrementAndGet();
        return (prefix + "-" + suffix).toLowerCase();
    }

    public static Map<String, Object> body(String name, String location) {
        return Map.of("properties", Map.of("name", name, "location", location));
    }

    /** Creates a registry with the given properties and answers its id. */
    public static String create(Map<String, Object> properties) {
        return asUser().body(Map.of("properties", properties)).post("/registries")
                .then().statusCode(201).extract().path("id");
    }

    public static String create(String name) {
        return create(Map.of("name", name, "location", "de/fra"));
    }

    public static ValidatableResponse get(String id) {
        return asUser().get("/registries/{id}", id).then();
    }

    /** Waits until provisioning moved the registry out of BUSY, and answers the state it reached. */
    public static String awaitProvisioned(String id) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> !"BUSY".equals(get(id).extract().path("metadata.state")));
        return get(id).extract().path("metadata.state");
    }

    public static String randomId() {
        return UUID.randomUUID().toString();
    }
}
