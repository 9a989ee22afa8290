package com.registryservice.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An error answer never outgrows a bound, whatever the request it refuses: a message that quotes a value of the
 * request is cut at {@link #MAX_CHARS} characters, a list of details at {@link FieldErrors#MAX_MESSAGES} items, each
 * followed by how much was left out. Both error shapes (the management API's and the OCI body) go through here.
 */
public final class ErrorText {

    /** The longest message (or detail item) an error answer holds. */
    public static final int MAX_CHARS = 1024;

    private ErrorText() {
    }

    public static String bounded(String text) {
        if (text == null || text.length() <= MAX_CHARS) {
            return text;
        }
        int cut = Character.isHighSurrogate(text.charAt(MAX_CHARS - 1)) ? MAX_CHARS - 1 : MAX_CHARS;
        return text.substring(0, cut) + "… (" + (text.length() - cut) + " more characters)";
    }

    public static List<Object> bounded(List<?> items) {
        List<Object> kept = new ArrayList<>();
        for (Object item : items.subList(0, Math.min(items.size(), FieldErrors.MAX_MESSAGES))) {
            kept.add(item instanceof String s ? bounded(s) : item);
        }
        if (items.size() > FieldErrors.MAX_MESSAGES) {
            kept.add("… and " + (items.size() - FieldErrors.MAX_MESSAGES) + " more");
        }
        return kept;
    }

    /**
     * A setting's duration as a message names it, in the largest unit that holds it whole ("24 h", "90 min", "45 s",
     * "250 ms"): hours alone would call a lifetime of 30 minutes "0 h".
     */
    public static String duration(Duration d) {
        if (d.toMillis() % 1000 != 0) {
            return d.toMillis() + " ms";
        }
        if (d.toSeconds() % 60 != 0) {
            return d.toSeconds() + " s";
        }
        return d.toMinutes() % 60 != 0 ? d.toMinutes() + " min" : d.toHours() + " h";
    }
}
