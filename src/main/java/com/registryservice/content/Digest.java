package com.registryservice.content;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** A content digest, {@code sha256:<64 hex>} or {@code sha512:<128 hex>}, lower case, as the OCI spec defines it. */
public record Digest(String algorithm, String hex) {

    private static final Pattern SHA256 = Pattern.compile("^[a-f0-9]{64}$");
    private static final Pattern SHA512 = Pattern.compile("^[a-f0-9]{128}$");

    /** The digest in {@code text}, or a {@code DIGEST_INVALID} error naming what is wrong. */
    public static Digest parse(String text) {
        int colon = text == null ? -1 : text.indexOf(':');
        if (colon < 0) {
            throw ContentError.digestInvalid("'" + text + "' is not a digest: expected <algorithm>:<hex>, such as"
                    + " sha256:" + "0".repeat(64));
        }
        String algorithm = text.substring(0, colon);
        String hex = text.substring(colon + 1);
        boolean valid = switch (algorithm) {
            case "sha256" -> SHA256.matcher(hex).matches();
            case "sha512" -> SHA512.matcher(hex).matches();
            default -> throw ContentError.digestInvalid("the digest algorithm '" + algorithm
                    + "' is not supported: use sha256 or sha512");
        };
        if (!valid) {
            throw ContentError.digestInvalid("'" + text + "' is not a " + algorithm + " digest: expected "
                    + ("sha256".equals(algorithm) ? 64 : 128) + " lower-case hex digits after the colon");
        }
        return new Digest(algorithm, hex);
    }

    /** Whether {@code text} looks like a digest (has an algorithm prefix) rather than a tag. */
    public static boolean looksLikeDigest(String text) {
        return text.contains(":");
    }

    /** A fresh hasher of this digest's algorithm (the JDK's, with its intrinsics). */
    public MessageDigest hasher() {
        return hasher(algorithm);
    }

    public static MessageDigest hasher(String algorithm) {
        try {
            return MessageDigest.getInstance("sha256".equals(algorithm) ? "SHA-256" : "SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The digest a finished hasher computed. */
    public static Digest of(String algorithm, MessageDigest hasher) {
        return new Digest(algorithm, HexFormat.of().formatHex(hasher.digest()));
    }

    public static Digest sha256(byte[] content) {
        MessageDigest hasher = hasher("sha256");
        hasher.update(content);
        return of("sha256", hasher);
    }

    /** The key of the blob's bytes in a registry's content-addressed store. */
    public String storageKey(java.util.UUID registry) {
        return registry + "/" + algorithm + "/" + hex.substring(0, 2) + "/" + hex;
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }
}
