package com.registryservice.api;

import java.net.URI;

import jakarta.ws.rs.core.UriBuilder;

/**
 * The window of an offset listing (the IONOS repositories, tokens and artifacts listings): {@code offset} and
 * {@code limit} parsed strictly, and the {@code _links} of its neighbours. Every offset listing pages this way.
 */
public record OffsetWindow(int offset, int limit) {

    /** From the raw query parameters: an empty {@code offset=} or {@code limit=} is refused, not taken for absent. */
    public static OffsetWindow parse(String offset, String limit) {
        return new OffsetWindow(Params.offset(offset), Params.limit(limit));
    }

    /** The window a request asks for, read raw from its query (see {@link #parse}). */
    public static OffsetWindow of(jakarta.ws.rs.core.UriInfo uri) {
        return parse(uri.getQueryParameters().getFirst("offset"), uri.getQueryParameters().getFirst("limit"));
    }

    /**
     * The links of a window of {@code collection} that has {@code total} items in all; the neighbours keep the
     * request's other parameters (its filter and order), so that following them pages the same listing.
     */
    public Links links(URI collection, URI self, long total) {
        URI base = UriBuilder.fromUri(collection).replaceQuery(self.getRawQuery()).build();
        return new Links(self.toString(), offset + limit < total ? link(base, offset + limit) : null,
                offset > 0 ? link(base, Math.max(0, offset - limit)) : null);
    }

    /** The same links as IONOS's repositories and artifacts lists have them: {@code prev}, not {@code previous}. */
    public record PrevLinks(String prev, String self, String next) {
        public static PrevLinks of(Links links) {
            return new PrevLinks(links.previous(), links.self(), links.next());
        }
    }

    private String link(URI base, int at) {
        return UriBuilder.fromUri(base).replaceQueryParam("offset", at).replaceQueryParam("limit", limit).build()
                .toString();
    }
}
