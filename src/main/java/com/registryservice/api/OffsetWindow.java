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

    /** The links of a window of {@code collection} that has {@code total} items in all. */
    public Links links(URI collection, URI self, long total) {
        return new Links(self.toString(), offset + limit < total ? link(collection, offset + limit) : null,
                offset > 0 ? link(collection, Math.max(0, offset - limit)) : null);
    }

    private String link(URI collection, int at) {
        return UriBuilder.fromUri(collection).queryParam("offset", at).queryParam("limit", limit).build().toString();
    }
}
