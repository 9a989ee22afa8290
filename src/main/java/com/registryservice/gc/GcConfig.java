package com.registryservice.gc;

import java.time.Duration;
import java.util.Optional;

import jakarta.validation.constraints.Min;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of garbage collection (prefix {@code registry.gc}); each is listed in the README. */
@ConfigMapping(prefix = "registry.gc")
public interface GcConfig {

    /** How often each instance looks for due slots and queued runs; "off" disables GC work on this instance. */
    @WithDefault("10s")
    String pollInterval();

    /** How long a run is an instance's before another may take it over; renewed while it works. */
    @WithDefault("10m")
    Duration lease();

    /** Nothing younger than this is collected, so that pushes in flight are safe. */
    @WithDefault("2h")
    Duration gracePeriod();

    /** How many manifests or blobs one transaction of a run deletes. */
    @WithDefault("1000")
    int batchSize();

    /** How many due registries one transaction of the scheduler claims. */
    @WithDefault("1000")
    int claimBatchSize();

    /** This instance's name in GC leases; default: a random id per process. */
    Optional<String> instanceName();

    /** How many runs an instance works on at once. */
    @WithDefault("16")
    @Min(1)
    int concurrentRuns();

    /** Whether this instance does GC work at all ({@link #pollInterval()} is not "off"). */
    default boolean enabled() {
        return !"off".equalsIgnoreCase(pollInterval().trim());
    }
}
