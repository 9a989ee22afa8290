package com.registryservice.api;

import java.util.ArrayList;
import java.util.List;

/** Collects every rule a request breaks, so that one 400 names them all instead of one per round trip. */
public final class FieldErrors {

    /** At most this many messages in one answer, then one saying how many more: an error never outgrows its input. */
    static final int MAX_MESSAGES = 20;

    private final List<ApiError.Message> messages = new ArrayList<>();
    private int more;

    public FieldErrors add(ErrorCode code, String field, String problem) {
        if (messages.size() < MAX_MESSAGES) {
            messages.add(new ApiError.Message(code.name(), field + ": " + problem));
        } else {
            more++;
        }
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
            List<ApiError.Message> all = new ArrayList<>(messages);
            if (more > 0) {
                all.add(new ApiError.Message(messages.get(0).errorCode(), "… and " + more + " more problems of this"
                        + " request, not listed"));
            }
            throw new ApiException(400, all);
        }
    }

    /** Renders a client-supplied value for an error message: quoted, and cut if long. */
    public static String quote(Object value) {
        String text = String.valueOf(value);
        return "'" + (text.length() > 100 ? text.substring(0, 100) + "…" : text) + "'";
    }
}
