package com.registryservice.security;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who makes a request, as recorded in {@code createdBy}/{@code lastModifiedBy}. The properties-file realm has no user
 * ids, so the id is a name-based UUID: stable for a user name, the same on every instance.
 */
public record Actor(String name, String userId) {

    public static Actor of(SecurityIdentity identity) {
        String name = identity.getPrincipal().getName();
        return new Actor(name, UUID.nameUUIDFromBytes(("registry-service-user:" + name).getBytes(StandardCharsets.UTF_8))
                .toString());
    }
}
