package com.registryservice.gc;

import java.time.Duration;
import java.util.Optional;

import jakarta.validation.constraints.Min;

import org.eclipse.microprofile.config.spi.Converter;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

/** Settings of garbage collection (prefix {@code registry.gc}); each is listed in the README. */
@ConfigMapping(prefix = "registry.gc")
public interface GcConfig {

    /**
     * How often each instance looks for due slots and queued runs; "off" (or "disabled", the scheduler's other word)
     * disables GC work on this instance and reads as zero. Checked here so that a bad value stops the start naming
     * the setting, as every other setting does, before the scheduler reads the same text.
     */
    @WithDefault("10s")
    @WithConverter(PollIntervalConverter.class)
    Duration pollInterval();

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
        return !pollInterval().isZero();
    }

    /** A positive duration (10s, 1m, PT30S, a number of seconds), or off/disabled as zero. */
    final class PollIntervalConverter implements Converter<Duration> {

        @Override
        public Duration convert(String value) {
            // not trimmed: the scheduler reads the same text, and takes " off" for a duration it cannot parse
            if ("off".equalsIgnoreCase(value) || "disabled".equalsIgnoreCase(value)) {
                return Duration.ZERO;
            }
            Duration interval;
            try {
                interval = DurationConverter.parseDuration(value);
            } catch (IllegalArgumentException e) {
                interval = null;
            }
            if (interval == null || interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("'" + value + "' is not a positive duration such as 10s, nor off");
            }
            return interval;
        }
    }
}
