package com.registryservice.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.registryservice.support.Api;
import com.registryservice.support.Raw;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/** Guessing passwords on the management API is throttled as on the data plane (from an address of its own). */
@QuarkusTest
class ManagementLoginsTest {

    private static Map<String, String> basic(String user, String password) {
        return Map.of("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void afterTenWrongPasswordsTheNextAttemptsAre429WithoutCheckingThePassword() {
        String address = "127.0.0.5";
        String user = Api.uniqueName("guessed");
        for (int i = 0; i < LoginThrottle.PER_USER; i++) {
            assertEquals(401, Raw.send(address, "GET", "/registries", basic(user, "guess-" + i)).status());
        }
        Raw.Response refused = Raw.send(address, "GET", "/registries", basic(user, "guess-again"));
        assertEquals(429, refused.status());
        JsonObject error = new JsonObject(refused.body());
        assertEquals("TOO_MANY_REQUESTS", error.getJsonArray("messages").getJsonObject(0).getString("errorCode"));
        assertTrue(error.getJsonArray("messages").getJsonObject(0).getString("message").contains(user));
        // another address, and another user from that address, are not affected
        assertEquals(401, Raw.send("127.0.0.6", "GET", "/registries", basic(user, "guess")).status());
        assertEquals(200, Raw.send(address, "GET", "/registries", Map.of()).status());
    }
}
