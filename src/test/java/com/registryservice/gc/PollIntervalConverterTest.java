package com.registryservice.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** registry.gc.poll-interval: the durations the scheduler takes, off, and a clear refusal of anything else. */
class PollIntervalConverterTest {

    private final GcConfig.PollIntervalConverter converter = new GcConfig.PollIntervalConverter();

    @Test
    void durationsInTheSchedulersFormsAreRead() {
        assertEquals(Duration.ofSeconds(10), converter.convert("10s"));
        assertEquals(Duration.ofMinutes(1), converter.convert("1m"));
        assertEquals(Duration.ofSeconds(30), converter.convert("PT30S"));
        assertEquals(Duration.ofSeconds(5), converter.convert("5"));
    }

    @Test
    void offAndDisabledReadAsZero() {
        assertTrue(converter.convert("off").isZero());
        assertTrue(converter.convert("OFF").isZero());
        assertTrue(converter.convert("disabled").isZero());
    }

    @Test
    void anythingElseIsRefusedNamingTheValue() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> converter.convert("banana")).getMessage()
                .contains("'banana' is not a positive duration such as 10s, nor off"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> converter.convert("0s")).getMessage()
                .contains("not a positive duration"));
        assertThrows(IllegalArgumentException.class, () -> converter.convert("-5s"));
        assertThrows(IllegalArgumentException.class, () -> converter.convert(" off"));
    }
}
