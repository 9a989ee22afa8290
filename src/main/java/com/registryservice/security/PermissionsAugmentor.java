package com.registryservice.security;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Turns the roles of the users file into {@link Permissions}, the one typed view of what a user may do. The roles
 * grammar: {@code contract:<id>} (exactly one), {@code owner}, {@code admin}, {@code accessAndManageRegistries},
 * {@code datacenter:<location>:<edit|share|read>}. Unknown roles are ignored.
 */
@ApplicationScoped
public class PermissionsAugmentor implements SecurityIdentityAugmentor {

    static final String CONTRACT = "contract:";
    static final String DATACENTER = "datacenter:";
    static final String PRIVILEGE = "accessAndManageRegistries";

    /** Users already warned about, so that a misconfigured user is logged once, not on every request. */
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        return Uni.createFrom().item(withPermissions(identity));
    }

    /** The identity with its {@link Permissions}; as it is when it has them already (a remembered login's). */
    SecurityIdentity withPermissions(SecurityIdentity identity) {
        if (identity.isAnonymous() || identity.getAttribute(Permissions.ATTRIBUTE) != null) {
            return identity;
        }
        Permissions permissions = parse(identity.getPrincipal().getName(), identity.getRoles());
        return QuarkusSecurityIdentity.builder(identity).addAttribute(Permissions.ATTRIBUTE, permissions).build();
    }

    Permissions parse(String user, Set<String> roles) {
        List<String> contracts = roles.stream().filter(r -> r.startsWith(CONTRACT))
                .map(r -> r.substring(CONTRACT.length())).filter(c -> !c.isBlank()).distinct().sorted().toList();
        if (contracts.size() != 1) {
            if (warned.add(user)) {
                Log.warnf("User %s has %s contract roles (%s); exactly one 'contract:<id>' is required, so the user may"
                        + " do nothing until the roles file is fixed", user, contracts.isEmpty() ? "no" : "several",
                        String.join(", ", contracts));
            }
            return Permissions.none();
        }
        Map<String, Permissions.Access> datacenters = new HashMap<>();
        for (String role : roles) {
            if (!role.startsWith(DATACENTER)) {
                continue;
            }
            int last = role.lastIndexOf(':');
            String location = role.substring(DATACENTER.length(), Math.max(DATACENTER.length(), last));
            Optional<Permissions.Access> access = access(role.substring(last + 1));
            if (!location.isEmpty() && access.isPresent()) {
                datacenters.merge(location, access.get(), (a, b) -> a.compareTo(b) >= 0 ? a : b);
            }
        }
        return new Permissions(Optional.of(contracts.get(0)), roles.contains("owner"), roles.contains("admin"),
                roles.contains(PRIVILEGE), Map.copyOf(datacenters));
    }

    private static Optional<Permissions.Access> access(String text) {
        try {
            return Optional.of(Permissions.Access.valueOf(text.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
