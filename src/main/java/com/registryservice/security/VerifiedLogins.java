package com.registryservice.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.elytron.security.runtime.ElytronPasswordIdentityProvider;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.smallrye.mutiny.Uni;

/**
 * Remembers verified user names and passwords for a short while ({@code registry.security.login-cache-lifetime}),
 * with the identity and its {@link Permissions}: the users file's realm checks a password on a worker thread and
 * the roles are parsed again each time, for every request of a client that polls. A remembered login is answered
 * on the event loop. Only a hash of the credentials (salted per process) is kept as the key; a wrong password is
 * never remembered, so failed logins are checked and counted as before. At most {@link #MAX_ENTRIES} logins are
 * kept. Both APIs authenticate through here (it outranks the realm's own provider).
 */
@ApplicationScoped
public class VerifiedLogins implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

    static final int MAX_ENTRIES = 10_000;

    private record Verified(SecurityIdentity identity, long until) {
    }

    private final ElytronPasswordIdentityProvider realm;
    private final PermissionsAugmentor permissions;
    private final long lifetimeNanos;
    private final byte[] salt = new byte[32];
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    public VerifiedLogins(ElytronPasswordIdentityProvider realm, PermissionsAugmentor permissions, SecurityConfig config) {
        this.realm = realm;
        this.permissions = permissions;
        this.lifetimeNanos = config.loginCacheLifetime().toNanos();
        new SecureRandom().nextBytes(salt);
    }

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    /** Before the realm's provider, which has the default priority (1001; higher goes first). */
    @Override
    public int priority() {
        return 2001;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request,
            AuthenticationRequestContext context) {
        if (lifetimeNanos <= 0) {
            return realm.authenticate(request, context);
        }
        String key = key(request);
        Verified known = verified.get(key);
        long now = System.nanoTime();
        if (known != null && now - known.until() < 0) {
            return Uni.createFrom().item(known.identity());
        }
        return realm.authenticate(request, context).map(identity -> {
            SecurityIdentity withPermissions = permissions.withPermissions(identity);
            remember(key, new Verified(withPermissions, System.nanoTime() + lifetimeNanos));
            return withPermissions;
        });
    }

    private void remember(String key, Verified login) {
        if (verified.size() >= MAX_ENTRIES) {
            long now = System.nanoTime();
            verified.values().removeIf(v -> now - v.until() >= 0);
            if (verified.size() >= MAX_ENTRIES) {
                // a flood of distinct valid logins: start again rather than grow
                verified.clear();
            }
        }
        verified.put(key, login);
    }

    /** SHA-256 of salt, user name and password: the password itself is not kept, not even as a map key. */
    private String key(UsernamePasswordAuthenticationRequest request) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(salt);
            digest.update(request.getUsername().getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(new String(request.getPassword().getPassword()).getBytes(StandardCharsets.UTF_8));
            return new String(digest.digest(), StandardCharsets.ISO_8859_1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
