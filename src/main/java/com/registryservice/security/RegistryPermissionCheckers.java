package com.registryservice.security;

import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.registryservice.security.RegistryLocations.LocatedRequest;

import io.quarkus.security.PermissionChecker;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * The permission checks of the API, in one place; resources name them with {@code @PermissionsAllowed}. A check that
 * fails answers 403. Another contract's registry is not this class's business: every query is scoped to the
 * caller's contract, so such a registry is simply not found (404), as if it did not exist.
 */
@ApplicationScoped
public class RegistryPermissionCheckers {

    public static final String CONTRACT_MEMBER = "contract-member";
    public static final String LIST = "registry-list";
    public static final String CREATE = "registry-create";
    public static final String MANAGE = "registry-manage";
    public static final String PUT = "registry-put";

    private final RegistryLocations registries;

    public RegistryPermissionCheckers(RegistryLocations registries) {
        this.registries = registries;
    }

    /** Any user of a contract: locations and names. */
    @PermissionChecker(CONTRACT_MEMBER)
    boolean isContractMember(SecurityIdentity identity) {
        return Actor.permissions(identity).hasContract();
    }

    /** Listing needs the right to manage registries somewhere; the list then shows only those locations. */
    @PermissionChecker(LIST)
    boolean canList(SecurityIdentity identity) {
        return Actor.permissions(identity).canManageSome();
    }

    /** Creating needs the right to manage registries in the location asked for. */
    @PermissionChecker(CREATE)
    boolean canCreate(SecurityIdentity identity, LocatedRequest body) {
        Permissions permissions = Actor.permissions(identity);
        return permissions.canManageSome()
                // no location: let validation answer what is missing
                && location(body).map(permissions::canManage).orElse(true);
    }

    /** Reading, patching or deleting needs the right to manage registries in the registry's location. */
    @PermissionChecker(MANAGE)
    Uni<Boolean> canManage(SecurityIdentity identity, String registryId) {
        Permissions permissions = Actor.permissions(identity);
        if (!permissions.canManageSome()) {
            return Uni.createFrom().item(false);
        }
        return existingLocation(permissions, registryId).map(location -> location.map(permissions::canManage)
                // not a registry of this contract: the operation answers 400 or 404 itself
                .orElse(true));
    }

    /** Replacing needs the right on the registry's location; creating with PUT, on the location asked for. */
    @PermissionChecker(PUT)
    Uni<Boolean> canPut(SecurityIdentity identity, String registryId, LocatedRequest body) {
        Permissions permissions = Actor.permissions(identity);
        if (!permissions.canManageSome()) {
            return Uni.createFrom().item(false);
        }
        return existingLocation(permissions, registryId).map(location -> location.or(() -> location(body))
                .map(permissions::canManage).orElse(true));
    }

    private Uni<Optional<String>> existingLocation(Permissions permissions, String registryId) {
        Optional<UUID> id = parse(registryId);
        if (id.isEmpty()) {
            return Uni.createFrom().item(Optional.empty());
        }
        return registries.locationOf(permissions.contract().orElseThrow(), id.get());
    }

    private static Optional<String> location(LocatedRequest body) {
        return body == null ? Optional.empty() : body.requestedLocation();
    }

    private static Optional<UUID> parse(String id) {
        try {
            return Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }
}
