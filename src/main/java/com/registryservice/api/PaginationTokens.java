package com.registryservice.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;

/**
 * Opaque pagination tokens: a {@link Page.Cursor} plus the query it belongs to and when it expires, sealed
 * ({@link ServiceKeys}: AES-256-GCM under a key every instance derives from the database's secret). So a token from
 * one instance works on another, a tampered one is refused, and nothing in it (the contract, a registry's name) can
 * be read by whoever sees the URL; after {@code registry.pagination-token-lifetime} it is refused too.
 */
@ApplicationScoped
public class PaginationTokens {

    private static final String PURPOSE = "pagination-token-encryption";

    private final ServiceKeys keys;
    private final ObjectMapper json;
    private final Duration lifetime;

    /** @param lifetime {@code registry.pagination-token-lifetime} (declared in {@code RegistryConfig}) */
    public PaginationTokens(ServiceKeys keys, ObjectMapper json,
            @ConfigProperty(name = "registry.pagination-token-lifetime", defaultValue = "24h") Duration lifetime) {
        this.keys = keys;
        this.json = json;
        this.lifetime = lifetime;
    }

    /** Read and written by Jackson: registered for a native image. */
    @RegisterForReflection
    private record Payload(String d, String k, String q, long e) {
    }

    /** A token for {@code cursor} that is only valid for the query identified by {@code query}. */
    public Uni<String> encode(Page.Cursor cursor, String query) {
        return encode(cursor, query, Instant.now());
    }

    /** A token as issued at {@code issued} (tests issue old ones). */
    Uni<String> encode(Page.Cursor cursor, String query, Instant issued) {
        return keys.key(PURPOSE).map(k -> ServiceKeys.seal(k, write(new Payload(cursor.forward() ? "a" : "b",
                cursor.key(), query, issued.plus(lifetime).getEpochSecond())), ""));
    }

    /** The cursor in {@code token}; a 400 if it was not issued by this service for {@code query}, or expired. */
    public Uni<Optional<Page.Cursor>> decode(Optional<String> token, String query) {
        if (token.isEmpty() || token.get().isEmpty()) {
            return Uni.createFrom().item(Optional.empty());
        }
        return keys.key(PURPOSE).map(k -> Optional.of(verify(k, token.get(), query)));
    }

    private Page.Cursor verify(SecretKeySpec k, String token, String query) {
        Payload p;
        try {
            p = json.readValue(ServiceKeys.open(k, token, "").orElseThrow(PaginationTokens::invalid), Payload.class);
        } catch (java.io.IOException e) {
            throw invalid();
        }
        if (p.k() == null || p.d() == null || !p.d().matches("[ab]")) {
            throw invalid();
        }
        if (Instant.now().getEpochSecond() > p.e()) {
            throw ApiException.badRequest(ErrorCode.INVALID_PAGINATION_TOKEN, "pagination.token has expired (tokens"
                    + " live " + ErrorText.duration(lifetime) + "): start again without a token");
        }
        if (!String.valueOf(p.q()).equals(query)) {
            throw ApiException.badRequest(ErrorCode.INVALID_PAGINATION_TOKEN,
                    "pagination.token belongs to another query: send the same filter with it, or start again"
                            + " without a token");
        }
        return new Page.Cursor("a".equals(p.d()), p.k());
    }

    private static ApiException invalid() {
        return ApiException.badRequest(ErrorCode.INVALID_PAGINATION_TOKEN,
                "pagination.token is not a token this service issued: use the token of a previous page unchanged,"
                        + " or start again without one");
    }

    private byte[] write(Payload payload) {
        try {
            return json.writeValueAsBytes(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
