package com.registryservice.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

/** What an error message quotes of a request is cut to a bound, in both error shapes. */
class ErrorTextTest {

    @Test
    void aMessageQuotingAHugeValueIsCutSayingHowMuchWasLeftOut() {
        String message = ApiError.of(400, ErrorCode.INVALID_FIELD, "name: '" + "x".repeat(100_000) + "' is wrong")
                .messages().get(0).message();
        assertTrue(message.length() < ErrorText.MAX_CHARS + 40, message.length() + "");
        assertTrue(message.endsWith("… (98993 more characters)"), message.substring(ErrorText.MAX_CHARS - 10));
        assertEquals("short", ErrorText.bounded("short"));
    }

    @Test
    void aCutNeverSplitsASurrogatePair() {
        String text = "a".repeat(ErrorText.MAX_CHARS - 1) + "😀" + "b".repeat(10);
        String cut = ErrorText.bounded(text);
        int ellipsis = cut.indexOf('…');
        assertEquals(ErrorText.MAX_CHARS - 1, ellipsis, "the pair is left out whole");
        assertTrue(cut.endsWith("(12 more characters)"), cut.substring(ellipsis));
    }

    @Test
    void aLongListOfDetailsKeepsTwentyThenCountsTheRest() {
        List<Object> kept = ErrorText.bounded(Collections.nCopies(5_000, "sha256:" + "0".repeat(64)));
        assertEquals(FieldErrors.MAX_MESSAGES + 1, kept.size());
        assertEquals("… and 4980 more", kept.get(FieldErrors.MAX_MESSAGES));
    }

    @Test
    void aDurationIsNamedInTheLargestUnitThatHoldsItWhole() {
        assertEquals("24 h", ErrorText.duration(Duration.ofHours(24)));
        assertEquals("30 min", ErrorText.duration(Duration.ofMinutes(30)));
        assertEquals("90 min", ErrorText.duration(Duration.ofMinutes(90)));
        assertEquals("45 s", ErrorText.duration(Duration.ofSeconds(45)));
        assertEquals("250 ms", ErrorText.duration(Duration.ofMillis(250)));
        assertEquals("0 h", ErrorText.duration(Duration.ZERO));
    }
}
