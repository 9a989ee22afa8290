package com.registryservice.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** With CORS configured for a portal, that origin (and only it) may call the API from a browser. */
@QuarkusTest
@TestProfile(CorsEnabledTest.Portal.class)
class CorsEnabledTest {

    /** CORS on for one portal origin. */
    public static class Portal implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.cors.enabled", "true", "quarkus.http.cors.origins", "https://portal.example");
        }
    }

    @Test
    void theConfiguredOriginIsAllowed() {
        given().header("Origin", "https://portal.example").header("Access-Control-Request-Method", "GET")
                .options("/registries").then()
                .header("Access-Control-Allow-Origin", equalTo("https://portal.example"));
    }

    @Test
    void anotherOriginIsNot() {
        given().header("Origin", "https://evil.example").header("Access-Control-Request-Method", "GET")
                .options("/registries").then()
                .header("Access-Control-Allow-Origin", nullValue());
    }
}
