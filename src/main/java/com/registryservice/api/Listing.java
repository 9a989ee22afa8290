package com.registryservice.api;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One page of a cursor listing as the API answers it: the items, the page size and the opaque tokens of its
 * neighbours. Built by {@link Listings}; its {@link #links} and {@link #pagination} are the same for every listing.
 */
public record Listing<T>(List<T> items, int limit, Optional<String> next, Optional<String> previous) {

    public <R> Listing<R> map(Function<T, R> mapper) {
        return new Listing<>(items.stream().map(mapper).toList(), limit, next, previous);
    }

    /** The {@code pagination} object of a listing answer. */
    public Pagination pagination() {
        return new Pagination(limit, next.orElse(null));
    }

    /** The {@code _links} of a listing answer: this request, and the neighbouring pages of {@code collection}. */
    public Links links(URI collection, Optional<Page.Filter> filter, URI self) {
        return new Links(self.toString(), next.map(t -> Page.link(collection, filter, limit, t)).orElse(null),
                previous.map(t -> Page.link(collection, filter, limit, t)).orElse(null));
    }
}
