package com.registryservice.api;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Keys for sealing what the service hands out and takes back (pagination tokens, event ids): one secret in the
 * database, shared by every instance, and a key of its own derived from it for each purpose (HMAC-SHA256 of the
 * purpose's name). Sealing is AES-256-GCM from the JDK: what is sealed cannot be read, altered or moved to another
 * context (the associated data, e.g. a contract) without being refused.
 */
@ApplicationScoped
public class ServiceKeys {

    private static final String SECRET_NAME = "pagination-token-key";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Pool pool;
    private volatile byte[] secret;
    private final Map<String, SecretKeySpec> keys = new ConcurrentHashMap<>();

    public ServiceKeys(Pool pool) {
        this.pool = pool;
    }

    /** The key of a purpose (loading the database's secret on first use). */
    public Uni<SecretKeySpec> key(String purpose) {
        SecretKeySpec known = keys.get(purpose);
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        return secret().map(s -> keys.computeIfAbsent(purpose, p -> derive(s, p)));
    }

    /** {@code plaintext} sealed under the key and bound to {@code context}, as URL-safe text. */
    public static String seal(SecretKeySpec key, byte[] plaintext, String context) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            byte[] sealed = cipher(Cipher.ENCRYPT_MODE, key, nonce, context).doFinal(plaintext);
            return ENCODER.encodeToString(ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed)
                    .array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What {@link #seal} sealed under this key and context; empty for anything else (altered, foreign, garbage). */
    public static Optional<byte[]> open(SecretKeySpec key, String text, String context) {
        try {
            byte[] bytes = DECODER.decode(text);
            if (bytes.length <= NONCE_BYTES + TAG_BITS / 8) {
                return Optional.empty();
            }
            return Optional.of(cipher(Cipher.DECRYPT_MODE, key, Arrays.copyOf(bytes, NONCE_BYTES), context)
                    .doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    private static Cipher cipher(int mode, SecretKeySpec key, byte[] nonce, String context)
            throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    private static SecretKeySpec derive(byte[] secret, String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return new SecretKeySpec(mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8)), "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Loads the secret at start, so that requests find it ready (failures are retried on first use). */
    void preload(@Observes StartupEvent event) {
        secret().subscribe().with(s -> {
        }, failure -> Log.warnf("Could not load the service's secret yet: %s", failure.getMessage()));
    }

    /** Forgets the loaded secret and keys, as after a start (tests use it to exercise the first load under load). */
    void forget() {
        secret = null;
        keys.clear();
    }

    private Uni<byte[]> secret() {
        byte[] known = secret;
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        return pool.preparedQuery("SELECT value FROM service_secret WHERE name = $1").execute(Tuple.of(SECRET_NAME))
                .map(rows -> {
                    byte[] loaded = rows.iterator().next().getString("value").getBytes(StandardCharsets.UTF_8);
                    secret = loaded;
                    return loaded;
                });
    }
}
