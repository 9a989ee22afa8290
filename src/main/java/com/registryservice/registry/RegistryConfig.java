package com.registryservice.registry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the registries feature (prefix {@code registry}); each is listed in the README. */
@ConfigMapping(prefix = "registry")
public interface RegistryConfig {

    /** The locations (data centers) a registry may be created in, as returned by {@code GET /locations}. */
    @WithDefault("de/fra,de/txl,es/vit,gb/lhr,fr/par,us/las,us/ewr,us/mci")
    List<String> locations();

    /** The DNS domain below which registries get their hostname: {@code <name>.<hostname-domain>}. */
    @WithDefault("cr.example.com")
    String hostnameDomain();

    /** The GC schedule of a registry created without one. */
    DefaultGcSchedule defaultGcSchedule();

    /** How often each instance looks for registries waiting to be provisioned. */
    @WithDefault("1s")
    Duration provisioningPollInterval();

    /** How long a POST's Idempotency-Key is remembered: a retry within it answers the first request's registry. */
    @WithDefault("24h")
    Duration idempotencyKeyRetention();

    /** The live event stream, {@code GET /events}. */
    Events events();

    /** Settings of the event stream. */
    interface Events {
        /** How long events are kept for clients that reconnect with Last-Event-ID. */
        @WithDefault("24h")
        Duration retention();

        /** How many events may wait for one slow client before it is dropped (with a final event). */
        @WithDefault("1000")
        int subscriberBuffer();

        /**
         * How often the feed looks for events without being notified: NOTIFY wakes it at once, this catches events
         * whose transaction finished after an older one still running was notified.
         */
        @WithDefault("1s")
        Duration pollInterval();

        /** How often a quiet stream gets an SSE comment, so that proxies do not close it as idle. */
        @WithDefault("15s")
        Duration heartbeatInterval();
    }

    /** Garbage collection. */
    Gc gc();

    /** Settings of garbage collection. */
    interface Gc {
        /** How often each instance looks for due slots and queued runs; "off" disables it on this instance. */
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
        java.util.Optional<String> instanceName();

        /** How many runs an instance works on at once. */
        @WithDefault("16")
        int concurrentRuns();
    }

    /**
     * The embedded PostgreSQL. These keys are read before CDI exists, by
     * {@code database.EmbeddedPostgresConfigSourceFactory}; they are declared here to document and validate them.
     */
    EmbeddedPostgres embeddedPostgres();

    /** Settings of the embedded PostgreSQL, used when no datasource URL is configured. */
    interface EmbeddedPostgres {
        /** Start an embedded PostgreSQL when no datasource URL is configured. */
        @WithDefault("true")
        boolean enabled();

        /** Keep the data in {@link #dataDir()} across restarts; false gives a throwaway database (tests). */
        @WithDefault("true")
        boolean persistent();

        /** Where a persistent embedded PostgreSQL keeps its data, relative to the working directory. */
        @WithDefault("data")
        Path dataDir();

        /** The loopback port it listens on; 0 picks a free one. */
        @WithDefault("0")
        int port();
    }

    /** The GC schedule applied when a create or replace omits it. */
    interface DefaultGcSchedule {
        /** Days, English names (Monday … Sunday). */
        @WithDefault("Sunday")
        List<String> days();

        /** Time of day in UTC, RFC 3339 partial-time. */
        @WithDefault("01:23:00+00:00")
        String time();
    }
}
