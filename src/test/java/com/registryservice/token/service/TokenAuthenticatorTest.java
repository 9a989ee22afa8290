package com.registryservice.token.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** A refusal costs what a real check costs, whether or not the token name exists. */
@QuarkusTest
class TokenAuthenticatorTest {

    @Inject
    TokenAuthenticator tokens;

    @Test
    void aNameThatNamesNoTokenIsCheckedAsSlowlyAsAWrongPassword() {
        long before = TokenPasswords.derivations();
        assertEquals(Optional.empty(), tokens.authenticate(Optional.of("no-such-registry"), "no-such-token-"
                + System.nanoTime(), "guess").await().atMost(Duration.ofSeconds(30)));
        assertEquals(before + 1, TokenPasswords.derivations(), "one password derivation, as for a real token");
        assertEquals(Optional.empty(), tokens.authenticate(Optional.empty(), "nobody-" + System.nanoTime(), "guess")
                .await().atMost(Duration.ofSeconds(30)));
        assertEquals(before + 2, TokenPasswords.derivations());
    }
}
