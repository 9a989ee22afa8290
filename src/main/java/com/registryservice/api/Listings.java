package com.registryservice.api;

import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

/**
 * The one pipeline of every cursor listing: decode the request's token (bound to its query), fetch {@code limit + 1}
 * rows after or before its cursor, build the {@link Page}, and encode the tokens of its neighbours for the same query.
 */
@ApplicationScoped
public class Listings {

    private final PaginationTokens tokens;

    public Listings(PaginationTokens tokens) {
        this.tokens = tokens;
    }

    /**
     * @param query identifies the listing (its scope and filter): a token of another query is refused (400)
     * @param fetch up to the given number of rows strictly after (or before) the cursor, in its direction
     * @param key   the row's key in the listing's unique sort order, as the fetch compares it
     */
    public <T> Uni<Listing<T>> page(String query, Optional<String> token, int limit,
            BiFunction<Optional<Page.Cursor>, Integer, Uni<List<T>>> fetch, Function<T, String> key) {
        return tokens.decode(token, query)
                .flatMap(cursor -> fetch.apply(cursor, limit + 1).map(rows -> Page.of(rows, limit, cursor, key)))
                .flatMap(page -> encode(page.next(), query).flatMap(next -> encode(page.previous(), query)
                        .map(previous -> new Listing<>(page.items(), limit, next, previous))));
    }

    private Uni<Optional<String>> encode(Optional<Page.Cursor> cursor, String query) {
        return cursor.isEmpty() ? Uni.createFrom().item(Optional.empty())
                : tokens.encode(cursor.get(), query).map(Optional::of);
    }
}
