package com.registryservice.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Conditional requests (RFC 9110, section 13): entity tags and the {@code If-Match} / {@code If-None-Match} headers.
 * A header is parsed once, in the resource; the service evaluates it where the current tag is known (under the row
 * lock for writes, so that two writers holding the same tag cannot both pass).
 */
public final class Preconditions {

    /** One entity tag: {@code "…"} or weak {@code W/"…"}; the tag may not hold a quote (RFC 9110 etagc). */
    private static final Pattern TAG = Pattern.compile("\\s*(W/)?(\"[\\x21\\x23-\\x7e\\x80-\\xff]*\")\\s*(,|$)");

    private Preconditions() {
    }

    /** The strong entity tag of a resource version, quoted as it goes on the wire. */
    public static String tag(Object... parts) {
        StringBuilder tag = new StringBuilder("\"");
        for (int i = 0; i < parts.length; i++) {
            tag.append(i == 0 ? "" : "-").append(parts[i]);
        }
        return tag.append('"').toString();
    }

    /** A parsed {@code If-Match} or {@code If-None-Match} header; {@link #NONE} when the request has none. */
    public record Condition(String header, boolean any, List<String> strongTags, List<String> weakTags) {

        static final Condition NONE = new Condition(null, false, List.of(), List.of());

        public boolean present() {
            return header != null;
        }

        /** If-Match: strong comparison; {@code *} matches any current representation. */
        boolean matchesStrongly(Optional<String> current) {
            return current.isPresent() && (any || strongTags.contains(current.get()));
        }

        /** If-None-Match: weak comparison, W/"x" and "x" are the same. */
        boolean matchesWeakly(Optional<String> current) {
            return current.isPresent() && (any || strongTags.contains(current.get())
                    || weakTags.contains(current.get()));
        }
    }

    /** The {@code If-Match} or {@code If-None-Match} header named {@code name}; a malformed one is a 400. */
    public static Condition parse(String name, String header) {
        if (header == null) {
            return Condition.NONE;
        }
        if (header.trim().equals("*")) {
            return new Condition(header, true, List.of(), List.of());
        }
        List<String> strong = new ArrayList<>();
        List<String> weak = new ArrayList<>();
        Matcher m = TAG.matcher(header);
        int at = 0;
        while (at < header.length() && m.find(at) && m.start() == at) {
            (m.group(1) == null ? strong : weak).add(m.group(2));
            at = m.end();
        }
        if (at < header.length() || strong.isEmpty() && weak.isEmpty()) {
            throw ApiException.badRequest(ErrorCode.INVALID_PARAMETER, name + ": expected * or entity tags as sent"
                    + " in ETag, quoted and separated by commas (e.g. \"1700000000000-3\"), got "
                    + FieldErrors.quote(header));
        }
        return new Condition(header, false, List.copyOf(strong), List.copyOf(weak));
    }

    /**
     * Fails with 412 unless the If-Match condition holds for the current tag (empty: the resource does not exist).
     * No header: no condition, as for clients that do not use tags.
     */
    public static void requireMatch(Condition ifMatch, Optional<String> current, String what) {
        if (ifMatch.present() && !ifMatch.matchesStrongly(current)) {
            throw new ApiException(412, ErrorCode.PRECONDITION_FAILED, current
                    .map(tag -> what + " changed since it was read: its ETag is now " + tag + ", If-Match was "
                            + ifMatch.header() + "; read it again and reapply the change")
                    .orElse(what + " does not exist, so If-Match " + ifMatch.header() + " cannot match"));
        }
    }

    /**
     * Fails with 412 when the If-None-Match condition matches the current tag: {@code If-None-Match: *} on a PUT
     * creates only, and never replaces what exists.
     */
    public static void requireNoneMatch(Condition ifNoneMatch, Optional<String> current, String what) {
        if (ifNoneMatch.present() && ifNoneMatch.matchesWeakly(current)) {
            throw new ApiException(412, ErrorCode.PRECONDITION_FAILED, what + " exists (its ETag is " + current.get()
                    + ") and If-None-Match " + ifNoneMatch.header() + " asks not to replace it");
        }
    }

    /** True when a GET may answer 304 Not Modified: the If-None-Match condition matches the current tag. */
    public static boolean notModified(Condition ifNoneMatch, String current) {
        return ifNoneMatch.present() && ifNoneMatch.matchesWeakly(Optional.of(current));
    }
}
