package com.registryservice.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.quarkus.elytron.security.runtime.ElytronPasswordIdentityProvider;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Remembers verified user names and passwords for a short while ({@code registry.security.login-cache-lifetime}),
 * with the identity and its {@link Permissions}: the users file's realm checks a password on a worker thread and
 * the roles are parsed again each time, for every request of a client that polls. A remembered login is answered
 * on the event loop. Only a hash of the credentials (salted per process) is kept as the key; a wrong password is
 * never remembered, so failed logins are checked and counted as before. At most {@link #MAX_ENTRIES} logins are
 * kept (Caffeine, as for tokens' passwords). Both APIs authenticate through here (it outranks the realm's own
 * provider).
 */
@ApplicationScoped
public class VerifiedLogins implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

    static final int MAX_ENTRIES = 10_000;

    private final ElytronPasswordIdentityProvider realm;
    private final PermissionsAugmentor permissions;
    private final byte[] salt = new byte[32];
    /** Null when {@code registry.security.login-cache-lifetime} is 0: every login is checked. */
    private final Cache<String, SecurityIdentity> verified;

    public VerifiedLogins(ElytronPasswordIdentityProvider realm, PermissionsAugmentor permissions, SecurityConfig config) {
        this.realm = realm;
        this.permissions = permissions;
        Duration lifetime = config.loginCacheLifetime();
        this.verified = lifetime.isZero() || lifetime.isNegative() ? null
                : Caffeine.newBuilder().maximumSize(MAX_ENTRIES).expireAfterWrite(lifetime).build();
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
        if (verified == null) {
            return realm.authenticate(request, context);
        }
        String key = key(request);
        SecurityIdentity known = verified.getIfPresent(key);
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        return realm.authenticate(request, context).map(identity -> {
            SecurityIdentity remembered = withoutCredentials(permissions.withPermissions(identity));
            verified.put(key, remembered);
            return remembered;
        });
    }

    /**
     * The identity without the credentials it was verified with: the realm keeps the password in it, which must not
     * outlive the request in the cache. Nothing in the service reads an identity's credentials.
     */
    private static SecurityIdentity withoutCredentials(SecurityIdentity identity) {
        return QuarkusSecurityIdentity.builder().setPrincipal(identity.getPrincipal()).addRoles(identity.getRoles())
                .addAttributes(identity.getAttributes()).build();
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
