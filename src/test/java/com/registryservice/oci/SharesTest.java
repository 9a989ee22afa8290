package com.registryservice.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** An instance's amount and each registry's share of it. */
class SharesTest {

    private final UUID one = UUID.randomUUID();
    private final UUID other = UUID.randomUUID();

    @Test
    void aRegistryIsGivenUpToItsShareAndOthersTheRest() {
        Shares shares = new Shares("s", 6, 4, 1);
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
        Shares shares = new Shares("s", 9, 5, 1);
        assertEquals(Optional.empty(), shares.take(one, 8));
        assertEquals(Optional.of(Shares.Refusal.INSTANCE), shares.take(other, 2));
        assertEquals(Optional.of(Shares.Refusal.REGISTRY), shares.take(one, 1));
    }

    @Test
    void registriesThatGaveAllBackAreForgotten() {
        Shares shares = new Shares("s", 100, 10, 1);
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

    @Test
    void requestsRefusedForTheirRegistryNeverCrowdOutAnother() throws Exception {
        // one registry holds its share and keeps asking for more; another takes exactly what is left, again and again
        Shares shares = new Shares("s", 10, 5, 1);
        assertEquals(Optional.empty(), shares.take(one, 5));
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicLong othersRefused = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong greedyMisjudged = new java.util.concurrent.atomic.AtomicLong();
        Thread greedy = new Thread(() -> {
            while (!done.get()) {
                if (!shares.take(one, 1).equals(Optional.of(Shares.Refusal.REGISTRY))) {
                    greedyMisjudged.incrementAndGet();
                }
            }
        });
        greedy.start();
        try {
            for (int i = 0; i < 200_000; i++) {
                if (shares.take(other, 5).isPresent()) {
                    othersRefused.incrementAndGet();
                } else {
                    shares.give(other, 5);
                }
            }
        } finally {
            done.set(true);
            greedy.join();
        }
        assertEquals(0, othersRefused.get());
        // and the registry past its share is told so, whatever the instance holds at the moment
        assertEquals(0, greedyMisjudged.get());
    }

    @Test
    void aShareBelowOneIsRefusedAtStart() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> new Shares("s", 6, 0, 1));
        assertEquals("s-per-registry (0) must be at least 1", refused.getMessage());
    }

    @Test
    void aLimitBelowTheLargestRequestIsRefusedAtStart() {
        assertEquals("s (0) must be at least 1",
                assertThrows(IllegalArgumentException.class, () -> new Shares("s", 0, 4, 1)).getMessage());
        assertEquals("s (4095) must be at least 4096, the most one request takes",
                assertThrows(IllegalArgumentException.class, () -> new Shares("s", 4095, 4096, 4096)).getMessage());
        new Shares("s", 4096, 1, 4096); // the limit may be exactly the largest request
    }
}
