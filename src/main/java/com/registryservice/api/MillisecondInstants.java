package com.registryservice.api;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

/**
 * Writes every time of the API as RFC 3339 in UTC to the millisecond, as the API promises: PostgreSQL keeps
 * microseconds, and a time read back from it (a GC run's start, a storage measurement) would otherwise show them.
 * One place for all responses and events, instead of a truncation in each feature's mapping.
 */
final class MillisecondInstants extends StdSerializer<Instant> {

    MillisecondInstants() {
        super(Instant.class);
    }

    @Override
    public void serialize(Instant value, JsonGenerator generator, SerializerProvider provider) throws IOException {
        generator.writeString(DateTimeFormatter.ISO_INSTANT.format(value.truncatedTo(ChronoUnit.MILLIS)));
    }
}
