package com.registryservice.api;

import java.io.IOException;
import java.time.Instant;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;

/**
 * Reads a time only from an RFC 3339 string: Jackson's own reader also takes a number, or a string of digits, as
 * seconds since 1970 (and ignores leniency for both), so {@code "expiryDate": 4102444800} would be the year 2100.
 */
final class Rfc3339Instants extends StdDeserializer<Instant> {

    private static final Pattern NUMBER = Pattern.compile("\\s*[-+]?\\d+(\\.\\d*)?\\s*");

    Rfc3339Instants() {
        super(Instant.class);
    }

    @Override
    public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        if (!parser.hasToken(JsonToken.VALUE_STRING)) {
            return (Instant) context.handleUnexpectedToken(Instant.class, parser);
        }
        if (NUMBER.matcher(parser.getText()).matches()) {
            throw InvalidFormatException.from(parser, "a number is not an RFC 3339 time", parser.getText(),
                    Instant.class);
        }
        return InstantDeserializer.INSTANT.deserialize(parser, context);
    }
}
