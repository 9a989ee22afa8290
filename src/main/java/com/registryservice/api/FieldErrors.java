package com.registryservice.api;

import java.util.ArrayList;
import java.util.List;

/** Collects every rule a request breaks, so that one 400 names them all instead of one per round trip. */
public final class FieldErrors {

    private final List<ApiError.Message> messages = new ArrayList<>();

    public FieldErrors add(ErrorCode code, String field, String problem) {
        messages.add(new ApiError.Message(code.name(), field + ": " + problem));
        return this;
    }

    public FieldErrors invalid(String field, String problem) {
        return add(ErrorCode.INVALID_FIELD, field, problem);
    }

    public boolean isEmpty() {
        return messages.isEmpty();
    }

    /** Throws a 400 naming every collected problem, if there is any. */
    public void throwIfAny() {
        if (!messages.isEmpty()) {
            throw new ApiException(400, messages);
        }
    }

    /** Renders a client-supplied value for an error message: quoted, and cut if long. */
    public static String quote(Object value) {
        String text = String.valueOf(value);
        return "'" + (text.length() > 100 ? text.substring(0, 100) + "…" : text) + "'";
    }
}
