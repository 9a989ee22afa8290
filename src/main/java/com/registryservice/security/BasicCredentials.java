package com.registryservice.security;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** The user name and password of an HTTP Basic {@code Authorization} header: the one reading of it, for both APIs. */
public record BasicCredentials(String user, String password) {

    /** Never the password (a record would print it). */
    @Override
    public String toString() {
        return "BasicCredentials[user=" + user + ", password=(hidden)]";
    }

    /**
     * The credentials of {@code header}; empty when there is no header or it is not Basic.
     *
     * @throws IllegalArgumentException naming what is wrong when it is Basic but unreadable
     */
    public static Optional<BasicCredentials> of(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the Basic credentials are not Base64");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("the Basic credentials have no ':'");
        }
        return Optional.of(new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
    }
}
