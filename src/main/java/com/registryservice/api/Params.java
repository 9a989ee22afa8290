package com.registryservice.api;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** Parses path and query parameters strictly, answering 400 with the parameter's name and value. */
public final class Params {

    /** The pattern of ids in paths, as the OpenAPI document states it. */
    public static final String UUID_PATTERN = "^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$";
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;
    private static final Pattern UUID_TEXT = Pattern
            .compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
    private static final Pattern DIGITS = Pattern.compile("^[0-9]{1,9}$");
    private static final Pattern EVENT_ID = Pattern.compile("^[A-Za-z0-9_-]{1,200}$");
    /** Visible ASCII: what fits any client's header and any log line. */
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("^[\\x21-\\x7e]{1,255}$");

    private Params() {
    }

    /**
     * A text filter ({@code filter.name}): empty when absent; a 400 naming the parameter when it holds a control
     * character (NUL among them, which PostgreSQL text cannot hold) or an unpaired surrogate, or is over 255 chars.
     */
    public static java.util.Optional<String> textFilter(String name, String value) {
        if (value == null) {
            return java.util.Optional.empty();
        }
        boolean control = value.codePoints().anyMatch(c -> Character.getType(c) == Character.CONTROL
                || Character.getType(c) == Character.SURROGATE);
        if (control || value.length() > 255) {
            throw ApiException.badRequest(ErrorCode.INVALID_PARAMETER, name + ": " + (control
                    ? "must not hold control characters or unpaired surrogates" : "must be at most 255 characters"));
        }
        return java.util.Optional.of(value);
    }

    public static UUID uuid(String name, String value) {
        if (value == null || !UUID_TEXT.matcher(value).matches()) {
            throw ApiException.badRequest(ErrorCode.INVALID_PARAMETER,
                    name + ": " + FieldErrors.quote(value) + " is not a UUID (such as 3f2504e0-4f89-41d3-9a0c-0305e82c3301)");
        }
        return UUID.fromString(value);
    }

    /** The page size: 1 to {@value #MAX_LIMIT}, {@value #DEFAULT_LIMIT} when absent. */
    public static int limit(String value) {
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        int limit = DIGITS.matcher(value).matches() ? Integer.parseInt(value) : -1;
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.badRequest(ErrorCode.INVALID_PARAMETER,
                    "limit: " + FieldErrors.quote(value) + " must be a whole number from 1 to " + MAX_LIMIT);
        }
        return limit;
    }

    /** The first item of an offset listing, from 0; 0 when absent. */
    public static int offset(String value) {
        if (value == null) {
            return 0;
        }
        if (!DIGITS.matcher(value).matches()) {
            throw ApiException.badRequest(ErrorCode.INVALID_PARAMETER,
                    "offset: " + FieldErrors.quote(value) + " must be a whole number from 0 to 999999999");
        }
        return Integer.parseInt(value);
    }

    /**
     * A Last-Event-ID header: the text of an event's {@code id:} field (URL-safe Base64, at most 200 characters);
     * empty when absent. Whether it is an id of the caller's stream is for the stream to find out.
     */
    public static Optional<String> lastEventId(String value) {
        if (value == null) {
            return Optional.empty();
        }
        if (!EVENT_ID.matcher(value.trim()).matches()) {
            throw ApiException.badRequest(ErrorCode.INVALID_PARAMETER, "Last-Event-ID: " + FieldErrors.quote(value)
                    + " is not the id of an event of this stream (send the id: field of the last event received)");
        }
        return Optional.of(value.trim());
    }

    /** An Idempotency-Key header: 1 to 255 visible ASCII characters (a UUID is a good choice); empty when absent. */
    public static Optional<String> idempotencyKey(String value) {
        if (value == null) {
            return Optional.empty();
        }
        if (!IDEMPOTENCY_KEY.matcher(value).matches()) {
            throw ApiException.badRequest(ErrorCode.INVALID_PARAMETER, "Idempotency-Key: " + FieldErrors.quote(value)
                    + " must be 1 to 255 visible ASCII characters, such as a UUID");
        }
        return Optional.of(value);
    }
}
