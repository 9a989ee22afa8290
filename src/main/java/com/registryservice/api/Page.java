package com.registryservice.api;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import jakarta.ws.rs.core.UriBuilder;

/**
 * One page of a keyset-paged listing, with the cursors of its neighbours. Every paged listing of the API is built
 * here, so that they all page alike: a query fetches {@code limit + 1} rows strictly after (or before) the cursor's
 * key in a unique sort order, and the extra row only tells whether there is more.
 */
public record Page<T>(List<T> items, Optional<Cursor> next, Optional<Cursor> previous) {

    /** A position between two rows: the rows after {@code key} (forward) or before it (backward), keys exclusive. */
    public record Cursor(boolean forward, String key) {
        public static Cursor after(String key) {
            return new Cursor(true, key);
        }

        public static Cursor before(String key) {
            return new Cursor(false, key);
        }
    }

    /**
     * Builds the page from rows fetched in the cursor's direction (descending keys when it points backward).
     *
     * @param fetched up to {@code limit + 1} rows
     * @param cursor  the cursor of the request; empty for the first page
     */
    public static <T> Page<T> of(List<T> fetched, int limit, Optional<Cursor> cursor, Function<T, String> key) {
        boolean more = fetched.size() > limit;
        List<T> items = new ArrayList<>(fetched.subList(0, Math.min(limit, fetched.size())));
        boolean backward = cursor.map(c -> !c.forward()).orElse(false);
        if (backward) {
            Collections.reverse(items);
        }
        if (items.isEmpty()) {
            return new Page<>(items, Optional.empty(), Optional.empty());
        }
        String first = key.apply(items.get(0));
        String last = key.apply(items.get(items.size() - 1));
        boolean hasNext = backward || more;
        boolean hasPrevious = backward ? more : cursor.isPresent();
        return new Page<>(List.copyOf(items),
                hasNext ? Optional.of(Cursor.after(last)) : Optional.empty(),
                hasPrevious ? Optional.of(Cursor.before(first)) : Optional.empty());
    }

    /**
     * The URL of a neighbouring page, for {@code _links}: the collection with the listing's filter (left out when
     * absent or empty), its limit and the page's token. Every paged listing links its pages this way.
     */
    public static String link(URI collection, Optional<Filter> filter, int limit, String token) {
        UriBuilder builder = UriBuilder.fromUri(collection);
        Optional<Filter> given = filter.filter(f -> !f.value().isEmpty());
        // as a template value: the filter is the client's text and is encoded, braces and all
        given.ifPresent(f -> builder.queryParam(f.name(), "{filter}"));
        builder.queryParam("limit", limit).queryParam("pagination.token", token);
        return given.map(f -> builder.build(f.value())).orElseGet(builder::build).toString();
    }

    /** A query parameter that narrows a listing, such as {@code filter.name}. */
    public record Filter(String name, String value) {
    }
}
