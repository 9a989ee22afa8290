package com.registryservice.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class BasicCredentialsTest {

    private static String basic(String text) {
        return "Basic " + Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsUserAndPasswordSplittingAtTheFirstColon() {
        assertEquals(Optional.of(new BasicCredentials("jane", "s3:cret")), BasicCredentials.of(basic("jane:s3:cret")));
        assertEquals(Optional.of(new BasicCredentials("jäne", "")), BasicCredentials.of("bAsIc  "
                + Base64.getEncoder().encodeToString("jäne:".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void noHeaderOrAnotherSchemeIsNoCredentials() {
        assertTrue(BasicCredentials.of(null).isEmpty());
        assertTrue(BasicCredentials.of("Bearer abc").isEmpty());
        assertTrue(BasicCredentials.of("Basic").isEmpty());
    }

    @Test
    void unreadableBasicCredentialsNameWhatIsWrong() {
        assertEquals("the Basic credentials are not Base64",
                assertThrows(IllegalArgumentException.class, () -> BasicCredentials.of("Basic %%%")).getMessage());
        assertEquals("the Basic credentials have no ':'",
                assertThrows(IllegalArgumentException.class, () -> BasicCredentials.of(basic("jane"))).getMessage());
    }

    @Test
    void theTextOfCredentialsNeverShowsThePassword() {
        String text = BasicCredentials.of(basic("jane:s3cret")).orElseThrow().toString();
        assertTrue(text.contains("jane") && !text.contains("s3cret"), text);
    }
}
