package com.registryservice.api;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

/**
 * Writes every time of the API as RFC 3339 in UTC to the millisecond, as the API promises: PostgreSQL keeps
 * microseconds, and a time read back from it (a GC run's start, a storage measurement) would otherwise show them.
 * One place for all responses and events, instead of a truncation in each feature's mapping.
 * <p>
 * The text is {@link DateTimeFormatter#ISO_INSTANT}'s for the time truncated to the millisecond, written digit by
 * digit for the years 0 to 9999: a page of 100 registries holds 300 times, and the formatter (a print context, a
 * string builder and field lookups for each) was 15 % of a listing's CPU (docs/benchmarks.md). Times outside those
 * years go through the formatter.
 */
final class MillisecondInstants extends StdSerializer<Instant> {

    /** 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the years written with four digits and no sign. */
    private static final long FIRST_SECOND = -62_167_219_200L;
    private static final long LAST_SECOND = 253_402_300_799L;
    private static final int LONGEST = "9999-12-31T23:59:59.999Z".length();

    MillisecondInstants() {
        super(Instant.class);
    }

    @Override
    public void serialize(Instant value, JsonGenerator generator, SerializerProvider provider) throws IOException {
        generator.writeString(text(value));
    }

    /** What {@code ISO_INSTANT} writes for the time truncated to the millisecond. */
    static String text(Instant value) {
        if (value.getEpochSecond() < FIRST_SECOND || value.getEpochSecond() > LAST_SECOND) {
            return DateTimeFormatter.ISO_INSTANT.format(value.truncatedTo(ChronoUnit.MILLIS));
        }
        char[] text = new char[LONGEST];
        return new String(text, 0, write(value, text));
    }

    /** Writes {@code yyyy-MM-ddTHH:mm:ss[.SSS]Z} (the fraction only when not zero, as ISO_INSTANT); its length. */
    private static int write(Instant value, char[] text) {
        LocalDateTime time = LocalDateTime.ofEpochSecond(value.getEpochSecond(), 0, ZoneOffset.UTC);
        digits(text, 0, time.getYear(), 4);
        text[4] = '-';
        digits(text, 5, time.getMonthValue(), 2);
        text[7] = '-';
        digits(text, 8, time.getDayOfMonth(), 2);
        text[10] = 'T';
        digits(text, 11, time.getHour(), 2);
        text[13] = ':';
        digits(text, 14, time.getMinute(), 2);
        text[16] = ':';
        digits(text, 17, time.getSecond(), 2);
        int millis = value.getNano() / 1_000_000;
        if (millis == 0) {
            text[19] = 'Z';
            return 20;
        }
        text[19] = '.';
        digits(text, 20, millis, 3);
        text[23] = 'Z';
        return 24;
    }

    /** {@code value} in {@code count} decimal digits, zero-padded, at {@code offset}. */
    private static void digits(char[] text, int offset, int value, int count) {
        for (int i = offset + count - 1; i >= offset; i--) {
            text[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
