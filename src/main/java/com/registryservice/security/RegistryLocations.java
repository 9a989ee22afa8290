package com.registryservice.security;

import java.util.Optional;
import java.util.UUID;

import io.smallrye.mutiny.Uni;

/**
 * What the permission checks need to know of registries, and no more: where a registry of a contract is. The
 * registry feature provides it, so that security depends on this port rather than on the registry feature.
 */
public interface RegistryLocations {

    /** The location of the contract's registry {@code id}; empty when the contract has no such registry. */
    Uni<Optional<String>> locationOf(String contract, UUID id);

    /**
     * Succeeds when the contract has registry {@code id}, else fails with the management API's 404: the one check
     * of the features under a registry (its repositories, tokens). Free after a permission check, which read it.
     */
    default Uni<Void> requireRegistry(String contract, UUID id) {
        return locationOf(contract, id).invoke(location -> {
            if (location.isEmpty()) {
                throw com.registryservice.api.ApiException.notFound("Registry " + id + " does not exist");
            }
        }).replaceWithVoid();
    }

    /** A request body that names the location of the registry it creates (for the create permission). */
    interface LocatedRequest {
        /** The location asked for; empty when the body names none (validation then says what is missing). */
        Optional<String> requestedLocation();
    }
}
