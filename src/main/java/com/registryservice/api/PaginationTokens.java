package com.registryservice.api;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Opaque pagination tokens: a {@link Page.Cursor} plus the query it belongs to, signed with a key that the database
 * holds for every instance, so a token from one instance works on another and a tampered one is refused.
 */
@ApplicationScoped
public class PaginationTokens {

    private static final String KEY_NAME = "pagination-token-key";
    private static final int SIGNATURE_BYTES = 16;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final Pool pool;
    private final ObjectMapper json;
    private volatile byte[] key;

    public PaginationTokens(Pool pool, ObjectMapper json) {
        this.pool = pool;
        this.json = json;
    }

    /** Read and written by Jackson: registered for a native image. */
    @RegisterForReflection
    private record Payload(String d, String k, String q) {
    }

    /** A token for {@code cursor} that is only valid for the query identified by {@code query}. */
    public Uni<String> encode(Page.Cursor cursor, String query) {
        return key().map(k -> {
            byte[] payload = write(new Payload(cursor.forward() ? "a" : "b", cursor.key(), query));
            return ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(sign(k, payload));
        });
    }

    /** The cursor in {@code token}; a 400 if it was not issued by this service for {@code query}. */
    public Uni<Optional<Page.Cursor>> decode(Optional<String> token, String query) {
        if (token.isEmpty() || token.get().isEmpty()) {
            return Uni.createFrom().item(Optional.empty());
        }
        return key().map(k -> Optional.of(verify(k, token.get(), query)));
    }

    private Page.Cursor verify(byte[] k, String token, String query) {
        try {
            int dot = token.indexOf('.');
            if (dot < 0) {
                throw invalid();
            }
            byte[] payload = DECODER.decode(token.substring(0, dot));
            byte[] signature = DECODER.decode(token.substring(dot + 1));
            if (!MessageDigest.isEqual(sign(k, payload), signature)) {
                throw invalid();
            }
            Payload p = json.readValue(payload, Payload.class);
            if (p.k() == null || p.d() == null || !p.d().matches("[ab]")) {
                throw invalid();
            }
            if (!String.valueOf(p.q()).equals(query)) {
                throw ApiException.badRequest(ErrorCode.INVALID_PAGINATION_TOKEN,
                        "pagination.token belongs to another query: send the same filter with it, or start again"
                                + " without a token");
            }
            return new Page.Cursor("a".equals(p.d()), p.k());
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw invalid();
        }
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

    private static byte[] sign(byte[] key, byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Arrays.copyOf(mac.doFinal(payload), SIGNATURE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Loads the key at start, so that requests find it ready (failures are retried on first use). */
    void preload(@Observes StartupEvent event) {
        key().subscribe().with(k -> {
        }, failure -> io.quarkus.logging.Log.warnf("Could not load the pagination key yet: %s", failure.getMessage()));
    }

    /** Forgets the loaded key, as after a start (tests use it to exercise the first load under load). */
    void forgetKey() {
        key = null;
    }

    private Uni<byte[]> key() {
        byte[] known = key;
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        return pool.preparedQuery("SELECT value FROM service_secret WHERE name = $1").execute(Tuple.of(KEY_NAME))
                .map(rows -> {
                    byte[] loaded = rows.iterator().next().getString("value").getBytes(StandardCharsets.UTF_8);
                    key = loaded;
                    return loaded;
                });
    }
}
