package com.registryservice.api;

import java.util.Locale;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;

/**
 * What was wrong with a JSON document, told in the API's words: the parser's own message names its settings
 * ({@code enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow}, {@code StreamReadConstraints…}), which mean
 * nothing to a client and name the library. Used for management API bodies and for manifests alike.
 */
public final class JsonProblems {

    /** The parser's hints at its settings: "(from `…`)", ": enable `…` to allow", "… `Feature` …". */
    private static final Pattern SETTING_HINT = Pattern.compile("\\s*\\(from `[^`]*`\\)|:?\\s*(enable|use) `[^`]*`[^;.)]*");

    private JsonProblems() {
    }

    /** Where the document went wrong and why, without the parser's vocabulary; starts with a lower-case letter. */
    public static String describe(JsonProcessingException e) {
        if (e instanceof StreamConstraintsException) {
            return "it is nested too deeply, or holds a name, number or string longer than this API reads";
        }
        String where = e.getLocation() == null || e.getLocation().getLineNr() < 0 ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        return reason(e.getOriginalMessage()) + where;
    }

    private static String reason(String message) {
        if (message == null || message.isBlank()) {
            return "unexpected input";
        }
        String line = message.lines().findFirst().orElse("");
        if (line.contains("ALLOW_COMMENTS")) {
            return "comments are not JSON";
        }
        String cleaned = SETTING_HINT.matcher(line).replaceAll("").trim();
        String lower = cleaned.toLowerCase(Locale.ROOT);
        if (cleaned.isEmpty() || cleaned.contains("`") || lower.contains("feature") || lower.contains("jackson")
                || lower.contains("java.") || lower.contains("class ")) {
            return "unexpected input";
        }
        return Character.toLowerCase(cleaned.charAt(0)) + cleaned.substring(1);
    }
}
