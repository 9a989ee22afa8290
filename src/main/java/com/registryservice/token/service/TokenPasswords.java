package com.registryservice.token.service;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Token passwords: 256 random bits from {@link SecureRandom}, stored only as PBKDF2-HMAC-SHA256 (the JDK's
 * implementation, no crypto of our own) with a 128-bit salt, in the form {@code pbkdf2-sha256$<iterations>$<salt>$<hash>}.
 * Hashing is slow on purpose, so it runs on a worker thread, never on an event loop, and answers on the caller's
 * Vert.x context (where the request's scope lives: nothing carries it to other threads).
 */
final class TokenPasswords {

    /** OWASP's 2023 figure for PBKDF2-HMAC-SHA256 is 600,000 for human passwords; these are 256 random bits. */
    static final int ITERATIONS = 100_000;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final AtomicLong DERIVATIONS = new AtomicLong();

    private TokenPasswords() {
    }

    /** A new password: 32 random bytes, base64url (43 characters). */
    static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return ENCODER.encodeToString(bytes);
    }

    static Uni<String> hash(String password) {
        return offEventLoop(() -> {
            byte[] salt = new byte[16];
            RANDOM.nextBytes(salt);
            return "pbkdf2-sha256$" + ITERATIONS + "$" + ENCODER.encodeToString(salt) + "$"
                    + ENCODER.encodeToString(derive(password, salt, ITERATIONS));
        });
    }

    /**
     * A stored form no password matches, for a user name that names no token: checking against it costs what checking
     * a real token costs, so the time of a refusal does not tell which token names exist.
     */
    static final String DECOY = "pbkdf2-sha256$" + ITERATIONS + "$" + "A".repeat(22) + "$" + "A".repeat(43);

    /** Whether {@code password} is the one {@code stored} was made from (compared in constant time). */
    static Uni<Boolean> matches(String password, String stored) {
        return offEventLoop(() -> {
            String[] parts = stored.split("\\$");
            if (parts.length != 4 || !"pbkdf2-sha256".equals(parts[0])) {
                return false;
            }
            Base64.Decoder decoder = Base64.getUrlDecoder();
            byte[] expected = decoder.decode(parts[3]);
            return MessageDigest.isEqual(expected, derive(password, decoder.decode(parts[2]), Integer.parseInt(parts[1])));
        });
    }

    /**
     * {@code work} on a worker thread, its outcome on the caller's Vert.x context (Vert.x runs the worker with that
     * context current, and answers on it); without one (a job, a test), on a worker of the default pool.
     */
    private static <T> Uni<T> offEventLoop(Supplier<T> work) {
        return Uni.createFrom().deferred(() -> {
            Context context = Vertx.currentContext();
            return context == null
                    ? Uni.createFrom().item(work).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                    : Uni.createFrom().completionStage(() -> context.executeBlocking(work::get, false).toCompletionStage());
        });
    }

    /** Password derivations so far (a test's way to see that a refusal cost what a real check costs). */
    static long derivations() {
        return DERIVATIONS.get();
    }

    private static byte[] derive(String password, byte[] salt, int iterations) {
        DERIVATIONS.incrementAndGet();
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JDK", e);
        }
    }
}
