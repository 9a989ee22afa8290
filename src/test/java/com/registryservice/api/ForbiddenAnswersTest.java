package com.registryservice.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.ConnectException;

import org.junit.jupiter.api.Test;

import io.quarkus.security.ForbiddenException;

/** A permission check that failed is answered as its failure, a denial as a denial. */
class ForbiddenAnswersTest {

    private final ExceptionMappers mappers = new ExceptionMappers("registry-service", new AllowedMethods());

    @Test
    void aCheckThatCouldNotReadTheDatabaseIs503NotADenial() {
        var answer = mappers.forbidden(new ForbiddenException(new RuntimeException(new ConnectException(
                "Connection refused"))));
        assertEquals(503, answer.getStatus());
        assertEquals("5", answer.getHeaderString("Retry-After"));
        assertEquals(ErrorCode.SERVICE_UNAVAILABLE.name(), ((ApiError) answer.getEntity()).messages().get(0)
                .errorCode());
    }

    @Test
    void aDenialIs403() {
        assertEquals(403, mappers.forbidden(new ForbiddenException()).getStatus());
    }
}
