package com.registryservice.api;

import java.net.URI;
import java.util.Optional;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.UriBuilder;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Where the API's links point ({@code href}, {@code Location}, {@code _links}): the configured
 * {@code registry.public-url} when one is set, so that no request's {@code Host} ends up in an answer; otherwise the
 * request's own host.
 */
@jakarta.inject.Singleton
public class PublicUrl {

    private final Optional<URI> publicUrl;

    /** @param publicUrl {@code registry.public-url}: the base URL clients reach the API at; listed in the README */
    public PublicUrl(@org.eclipse.microprofile.config.inject.ConfigProperty(name = "registry.public-url")
            Optional<URI> publicUrl) {
        this.publicUrl = publicUrl;
    }

    @ServerRequestFilter(preMatching = true)
    public void rebase(ContainerRequestContext request) {
        if (publicUrl.isPresent()) {
            URI requested = request.getUriInfo().getRequestUri();
            URI base = publicUrl.get();
            URI rebased = UriBuilder.fromUri(requested).scheme(base.getScheme()).host(base.getHost())
                    .port(base.getPort()).build();
            request.setRequestUri(UriBuilder.fromUri(base).path("/").build(), rebased);
        }
    }
}
