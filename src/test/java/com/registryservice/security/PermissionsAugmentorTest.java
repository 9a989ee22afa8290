package com.registryservice.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

class PermissionsAugmentorTest {

    private final PermissionsAugmentor augmentor = new PermissionsAugmentor();

    @Test
    void ownersAndAdminsManageEveryLocationOfTheirContract() {
        for (String role : new String[] { "owner", "admin" }) {
            Permissions p = augmentor.parse("u", Set.of(role, "contract:7"));
            assertEquals(Optional.of("7"), p.contract());
            assertTrue(p.canManage("de/fra"));
            assertTrue(p.canManage("anywhere"));
            assertEquals(Optional.empty(), p.managedLocations());
        }
    }

    @Test
    void managersNeedThePrivilegeAndEditOrShare() {
        Permissions p = augmentor.parse("u", Set.of("contract:7", "accessAndManageRegistries", "datacenter:de/fra:edit",
                "datacenter:de/txl:share", "datacenter:us/las:read"));
        assertTrue(p.canManage("de/fra"));
        assertTrue(p.canManage("de/txl"));
        assertFalse(p.canManage("us/las"));
        assertFalse(p.canManage("gb/lhr"));
        assertEquals(Optional.of(Set.of("de/fra", "de/txl")), p.managedLocations());
        assertFalse(augmentor.parse("u", Set.of("contract:7", "datacenter:de/fra:edit")).canManageSome());
        assertFalse(augmentor.parse("u", Set.of("contract:7", "accessAndManageRegistries")).canManageSome());
    }

    @Test
    void theStrongestAccessToOneLocationWins() {
        Permissions p = augmentor.parse("u", Set.of("contract:7", "accessAndManageRegistries", "datacenter:de/fra:read",
                "datacenter:de/fra:edit"));
        assertTrue(p.canManage("de/fra"));
    }

    @Test
    void noContractOrTwoContractsMeansNoPermissionAtAll() {
        Permissions none = augmentor.parse("u", Set.of("owner"));
        Permissions two = augmentor.parse("v", Set.of("owner", "contract:1", "contract:2"));
        for (Permissions p : new Permissions[] { none, two }) {
            assertFalse(p.hasContract());
            assertFalse(p.canManage("de/fra"));
            assertFalse(p.canManageSome());
        }
    }

    @Test
    void malformedDatacenterRolesAreIgnored() {
        Permissions p = augmentor.parse("u", Set.of("contract:7", "accessAndManageRegistries", "datacenter:de/fra",
                "datacenter::edit", "datacenter:de/fra:write"));
        assertFalse(p.canManageSome());
    }
}
