package com.registryservice.security;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.quarkus.logging.Log;

/**
 * Slows password guessing: after {@link #PER_USER} failed logins of one user name (of one registry) from one client
 * address, or {@link #PER_ADDRESS} failures from one address, within {@link #WINDOW}, further attempts are refused
 * without checking the password (no slow hash is spent on them) until the window has passed. Counted per address
 * too, so that a guesser elsewhere cannot lock a CI system's token out. Counters live in bounded, expiring caches on
 * each instance. Each failure is logged once, with the user name and address, never the password.
 */
@ApplicationScoped
public class LoginThrottle {

    public static final Duration WINDOW = Duration.ofMinutes(1);
    static final int PER_USER = 10;
    static final int PER_ADDRESS = 100;

    private final Cache<String, AtomicInteger> failures = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterWrite(WINDOW).build();

    /** Whether attempts for this user name (of {@code realm}: a registry, or none) from this address are refused. */
    public boolean blocked(String realm, String username, String address) {
        return count(userKey(realm, username, address)) >= PER_USER || count("address:" + address) >= PER_ADDRESS;
    }

    /** Counts a failed login. */
    public void failed(String realm, String username, String address) {
        Log.infof("Failed login for user '%s' (%s) from %s", printable(username), realm, address);
        failures.get(userKey(realm, username, address), k -> new AtomicInteger()).incrementAndGet();
        failures.get("address:" + address, k -> new AtomicInteger()).incrementAndGet();
    }

    private static String userKey(String realm, String username, String address) {
        return "user:" + realm + "/" + username + "@" + address;
    }

    private int count(String key) {
        AtomicInteger count = failures.getIfPresent(key);
        return count == null ? 0 : count.get();
    }

    /** A user name as it may go into the log: control characters escaped (no forged lines), at most 100 characters. */
    static String printable(String username) {
        StringBuilder out = new StringBuilder();
        username.codePoints().limit(100).forEach(c -> {
            int type = Character.getType(c);
            // line and paragraph separators (U+2028, U+2029) end a line in many log viewers, as a line feed does
            if (Character.isISOControl(c) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return username.codePointCount(0, username.length()) > 100 ? out + "…" : out.toString();
    }
}
