package com.registryservice.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** An instance's amount and each registry's share of it. */
class SharesTest {

    private final UUID one = UUID.randomUUID();
    private final UUID other = UUID.randomUUID();

    @Test
    void aRegistryIsGivenUpToItsShareAndOthersTheRest() {
        Shares shares = new Shares(6, 4);
        for (int i = 0; i < 4; i++) {
            assertEquals(Optional.empty(), shares.take(one, 1));
        }
        assertEquals(Optional.of(Shares.Refusal.REGISTRY), shares.take(one, 1));
        assertEquals(Optional.empty(), shares.take(other, 1));
        assertEquals(Optional.empty(), shares.take(other, 1));
        assertEquals(Optional.of(Shares.Refusal.INSTANCE), shares.take(other, 1));
        // a refusal takes nothing: one given back is one more for anybody
        shares.give(one, 1);
        assertEquals(Optional.empty(), shares.take(other, 1));
    }

    @Test
    void aRegistryHoldingNothingIsGivenWhatFitsTheInstanceEvenBeyondItsShare() {
        Shares shares = new Shares(9, 5);
        assertEquals(Optional.empty(), shares.take(one, 8));
        assertEquals(Optional.of(Shares.Refusal.INSTANCE), shares.take(other, 2));
        assertEquals(Optional.of(Shares.Refusal.REGISTRY), shares.take(one, 1));
    }

    @Test
    void registriesThatGaveAllBackAreForgotten() {
        Shares shares = new Shares(100, 10);
        for (int i = 0; i < 50; i++) {
            UUID registry = UUID.randomUUID();
            shares.take(registry, 2);
            shares.give(registry, 2);
        }
        shares.take(one, 3);
        assertEquals(1, shares.registriesHolding());
        shares.give(one, 3);
        assertEquals(0, shares.registriesHolding());
        assertEquals(Optional.empty(), shares.take(other, 10));
    }
}
