package com.registryservice.security;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a user may do with registries, derived once per request from the user's roles by
 * {@link PermissionsAugmentor}. The rules of the product in one place:
 * <ul>
 * <li>every user belongs to exactly one contract (customer account), else may do nothing;</li>
 * <li>owners and admins manage every registry of their contract;</li>
 * <li>a user with the {@code accessAndManageRegistries} privilege <em>and</em> edit or share access to a data
 * center manages the registries in that location; read access, or the privilege alone, is not enough.</li>
 * </ul>
 */
public record Permissions(Optional<String> contract, boolean owner, boolean admin, boolean registryPrivilege,
        Map<String, Access> datacenters) {

    /** The identity attribute under which the augmentor stores them. */
    public static final String ATTRIBUTE = "registry-service.permissions";

    /** A user's access to one data center. */
    public enum Access {
        READ, SHARE, EDIT
    }

    public static Permissions none() {
        return new Permissions(Optional.empty(), false, false, false, Map.of());
    }

    public boolean hasContract() {
        return contract.isPresent();
    }

    /** Whether the user manages the registries in {@code location}. */
    public boolean canManage(String location) {
        if (!hasContract()) {
            return false;
        }
        if (owner || admin) {
            return true;
        }
        Access access = datacenters.get(location);
        return registryPrivilege && (access == Access.EDIT || access == Access.SHARE);
    }

    /** Whether the user manages registries in at least one location. */
    public boolean canManageSome() {
        return hasContract() && (owner || admin || !managedLocations().orElse(Set.of()).isEmpty());
    }

    /** The locations whose registries the user manages; empty when that is every location (owners, admins). */
    public Optional<Set<String>> managedLocations() {
        if (owner || admin) {
            return Optional.empty();
        }
        Set<String> locations = new TreeSet<>();
        if (registryPrivilege) {
            datacenters.forEach((location, access) -> {
                if (access != Access.READ) {
                    locations.add(location);
                }
            });
        }
        return Optional.of(locations);
    }
}
