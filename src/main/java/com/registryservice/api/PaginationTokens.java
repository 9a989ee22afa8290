package com.registryservice.api;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Opaque pagination tokens: a {@link Page.Cursor} plus the query it belongs to and when it expires, encrypted and
 * authenticated (AES-256-GCM, the JDK's) with a key derived from a secret the database holds for every instance. So a
 * token from one instance works on another, a tampered one is refused, and nothing in it (the contract, a registry's
 * name) can be read by whoever sees the URL; after {@code registry.pagination-token-lifetime} it is refused too.
 */
@ApplicationScoped
public class PaginationTokens {

    private static final String KEY_NAME = "pagination-token-key";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Pool pool;
    private final ObjectMapper json;
    private final Duration lifetime;
    private volatile SecretKeySpec key;

    /** @param lifetime {@code registry.pagination-token-lifetime} (declared in {@code RegistryConfig}) */
    public PaginationTokens(Pool pool, ObjectMapper json,
            @ConfigProperty(name = "registry.pagination-token-lifetime", defaultValue = "24h") Duration lifetime) {
        this.pool = pool;
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
        return key().map(k -> {
            byte[] payload = write(new Payload(cursor.forward() ? "a" : "b", cursor.key(), query,
                    issued.plus(lifetime).getEpochSecond()));
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            byte[] sealed;
            try {
                sealed = cipher(Cipher.ENCRYPT_MODE, k, nonce, payload);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
            return ENCODER.encodeToString(ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed)
                    .array());
        });
    }

    /** The cursor in {@code token}; a 400 if it was not issued by this service for {@code query}, or expired. */
    public Uni<Optional<Page.Cursor>> decode(Optional<String> token, String query) {
        if (token.isEmpty() || token.get().isEmpty()) {
            return Uni.createFrom().item(Optional.empty());
        }
        return key().map(k -> Optional.of(verify(k, token.get(), query)));
    }

    private Page.Cursor verify(SecretKeySpec k, String token, String query) {
        Payload p;
        try {
            byte[] bytes = DECODER.decode(token);
            if (bytes.length <= NONCE_BYTES) {
                throw invalid();
            }
            byte[] payload = cipher(Cipher.DECRYPT_MODE, k, Arrays.copyOf(bytes, NONCE_BYTES),
                    Arrays.copyOfRange(bytes, NONCE_BYTES, bytes.length));
            p = json.readValue(payload, Payload.class);
        } catch (IllegalArgumentException | java.io.IOException | GeneralSecurityException e) {
            throw invalid();
        }
        if (p.k() == null || p.d() == null || !p.d().matches("[ab]")) {
            throw invalid();
        }
        if (Instant.now().getEpochSecond() > p.e()) {
            throw ApiException.badRequest(ErrorCode.INVALID_PAGINATION_TOKEN, "pagination.token has expired (tokens"
                    + " live " + lifetime.toHours() + " h): start again without a token");
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

    /** AES-GCM one way or the other; a token that was altered fails to decrypt (AEADBadTagException). */
    private static byte[] cipher(int mode, SecretKeySpec key, byte[] nonce, byte[] input)
            throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        return cipher.doFinal(input);
    }

    /** The encryption key: HMAC-SHA256 of a fixed label under the database's secret (a key of its own purpose). */
    private static SecretKeySpec derive(byte[] secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return new SecretKeySpec(mac.doFinal("pagination-token-encryption".getBytes(StandardCharsets.UTF_8)), "AES");
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

    private Uni<SecretKeySpec> key() {
        SecretKeySpec known = key;
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        return pool.preparedQuery("SELECT value FROM service_secret WHERE name = $1").execute(Tuple.of(KEY_NAME))
                .map(rows -> {
                    SecretKeySpec loaded = derive(rows.iterator().next().getString("value")
                            .getBytes(StandardCharsets.UTF_8));
                    key = loaded;
                    return loaded;
                });
    }
}
