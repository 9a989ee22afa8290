package com.registryservice.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;

import org.junit.jupiter.api.Test;

import io.vertx.core.VertxException;

class DatabaseUnavailableTest {

    @Test
    void refusedAndClosedConnectionsMeanTheDatabaseIsUnavailable() {
        assertTrue(DatabaseUnavailable.is(new RuntimeException(new ConnectException("Connection refused"))));
        assertTrue(DatabaseUnavailable.is(new VertxException("Pool closed", true)));
        assertTrue(DatabaseUnavailable.is(new IllegalStateException("wrapped", new VertxException("Connection is closed", true))));
    }

    @Test
    void otherFailuresAreNot() {
        assertFalse(DatabaseUnavailable.is(new NullPointerException()));
        assertFalse(DatabaseUnavailable.is(new IllegalStateException("timeout of something else")));
    }
}
