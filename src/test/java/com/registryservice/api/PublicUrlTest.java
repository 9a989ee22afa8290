package com.registryservice.api;

import static com.registryservice.support.Api.asUser;
import static com.registryservice.support.Api.body;
import static com.registryservice.support.Api.uniqueName;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** With registry.public-url set, links point there whatever Host a request sends. */
@QuarkusTest
@TestProfile(PublicUrlTest.Configured.class)
class PublicUrlTest {

    public static class Configured implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("registry.public-url", "https://api.example.com");
        }
    }

    @Test
    void linksAndLocationUseThePublicUrlNotTheHostHeader() {
        var created = asUser().header("Host", "evil.example:666").body(body(uniqueName("pub"), "de/fra"))
                .post("/registries").then().statusCode(201)
                .body("href", startsWith("https://api.example.com/registries/")).extract();
        assertTrue(created.header("Location").startsWith("https://api.example.com/registries/"),
                created.header("Location"));
        String next = asUser().header("Host", "evil.example").queryParam("limit", 1).get("/registries").then()
                .statusCode(200).extract().path("_links.self");
        assertEquals(true, next.startsWith("https://api.example.com/registries"), next);
    }
}
