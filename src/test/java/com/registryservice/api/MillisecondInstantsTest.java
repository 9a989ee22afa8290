package com.registryservice.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;

/** The API's times are written exactly as the JDK's ISO_INSTANT writes them, truncated to the millisecond. */
class MillisecondInstantsTest {

    private static String expected(Instant time) {
        return DateTimeFormatter.ISO_INSTANT.format(time.truncatedTo(ChronoUnit.MILLIS));
    }

    @Test
    void anyTimeOfTheYearsZeroToNineThousandNineHundredNinetyNineIsWrittenAsTheFormatterWritesIt() {
        SplittableRandom random = new SplittableRandom(20261128);
        long first = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        long last = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 200_000; i++) {
            // whole seconds, whole milliseconds and any nanosecond, so that each shape of the fraction comes up
            int nanos = switch (i % 3) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant time = Instant.ofEpochSecond(random.nextLong(first, last + 1), nanos);
            assertEquals(expected(time), MillisecondInstants.text(time), time.toString());
        }
    }

    @Test
    void theEdgesOfTheDigitByDigitRangeAndTheCalendarAreWrittenAsTheFormatterWritesThem() {
        for (String edge : List.of("0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "1970-01-01T00:00:00Z",
                "1969-12-31T23:59:59.999Z", "2000-02-29T12:00:00.001Z", "2024-12-31T23:59:59.5Z",
                "2026-11-28T02:03:33.123456Z", "1900-03-01T00:00:00.010Z")) {
            Instant time = Instant.parse(edge);
            assertEquals(expected(time), MillisecondInstants.text(time), edge);
        }
    }

    @Test
    void timesBeyondFourDigitYearsGoThroughTheFormatter() throws Exception {
        ObjectMapper mapper = new ObjectMapper()
                .registerModule(new SimpleModule().addSerializer(Instant.class, new MillisecondInstants()));
        for (Instant time : List.of(Instant.MAX, Instant.MIN, Instant.parse("+10000-01-01T00:00:00.123Z"),
                Instant.parse("-0001-12-31T23:59:59.999Z"), Instant.parse("2026-11-28T02:03:33.100999Z"))) {
            assertEquals('"' + expected(time) + '"', mapper.writeValueAsString(time), time.toString());
        }
    }
}
