package com.registryservice.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** An error answer never outgrows its input: a bounded list of messages, then one saying how many more. */
class FieldErrorsTest {

    @Test
    void atMostTwentyMessagesThenOneCountingTheRest() {
        FieldErrors errors = new FieldErrors();
        for (int i = 0; i < 1_000; i++) {
            errors.invalid("field" + i, "is wrong");
        }
        ApiException thrown = assertThrows(ApiException.class, errors::throwIfAny);
        var messages = thrown.toError().messages();
        assertEquals(FieldErrors.MAX_MESSAGES + 1, messages.size());
        assertTrue(messages.get(FieldErrors.MAX_MESSAGES).message().contains("980 more"), messages.toString());
    }
}
