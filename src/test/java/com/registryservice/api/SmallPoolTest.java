package com.registryservice.api;

import static com.registryservice.support.Api.create;
import static com.registryservice.support.Api.uniqueName;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.registryservice.support.Concurrently;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Many concurrent requests on a pool of two connections all complete: no request holds one connection while it
 * waits for another (which starved the pool under load before the listing stopped doing so).
 */
@QuarkusTest
@TestProfile(SmallPoolTest.TwoConnections.class)
class SmallPoolTest {

    /** A reactive pool of two connections. */
    public static class TwoConnections implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.reactive.max-size", "2");
        }
    }

    @Inject
    ServiceKeys keys;

    @Test
    void concurrentListingsGetsAndRunListingsAllComplete() {
        // the first listings after a start load the token key: that must not need a second connection per request
        keys.forget();
        String prefix = uniqueName("pool");
        String id = create(prefix + "-a");
        create(prefix + "-b");
        for (String path : List.of("/registries?limit=1&filter.name=" + prefix, "/registries/" + id,
                "/registries/" + id + "/garbage-collections?limit=1")) {
            List<Integer> statuses = Concurrently.get(path, 32);
            assertEquals(32, statuses.stream().filter(s -> s == 200).count(), path + ": " + statuses);
        }
    }
}
