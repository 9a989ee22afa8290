package com.registryservice.security;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who makes a request: recorded in {@code createdBy}/{@code lastModifiedBy}, and the scope of every query (the
 * contract, and the locations the user manages). The properties-file realm has no user ids, so the id is a
 * name-based UUID: stable for a user name, the same on every instance.
 */
public record Actor(String name, String userId, String contract, Optional<Set<String>> managedLocations) {

    public static Actor of(SecurityIdentity identity) {
        String name = identity.getPrincipal().getName();
        Permissions permissions = permissions(identity);
        return new Actor(name,
                UUID.nameUUIDFromBytes(("registry-service-user:" + name).getBytes(StandardCharsets.UTF_8)).toString(),
                // every secured operation checked the contract before it got here
                permissions.contract().orElseThrow(() -> new io.quarkus.security.ForbiddenException()),
                permissions.managedLocations());
    }

    public static Permissions permissions(SecurityIdentity identity) {
        Permissions permissions = identity.getAttribute(Permissions.ATTRIBUTE);
        return permissions == null ? Permissions.none() : permissions;
    }
}
