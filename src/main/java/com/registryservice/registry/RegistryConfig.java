package com.registryservice.registry;

import java.time.Duration;
import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Settings of the registries feature (prefix {@code registry}); each is listed in the README. Other features keep
 * their own mappings below this prefix: {@code gc.GcConfig}, {@code events.EventsConfig},
 * {@code database.DatabaseConfig}.
 */
@ConfigMapping(prefix = "registry")
public interface RegistryConfig {

    /** The locations (data centers) a registry may be created in, as returned by {@code GET /locations}. */
    @WithDefault("de/fra,de/txl,es/vit,gb/lhr,fr/par,us/las,us/ewr,us/mci")
    List<String> locations();

    /**
     * The base URL clients reach the API at ({@code https://api.example.com}); the API's links are built from it
     * rather than from each request's {@code Host} (read by {@code api.PublicUrl}; declared here, with the other
     * {@code registry.*} settings).
     */
    java.util.Optional<java.net.URI> publicUrl();

    /**
     * How long after its headers a request body that is read whole (a management API document, a manifest) may take
     * to arrive; later, 408 and the connection closes (read by {@code api.HttpEdge}; declared here). Blob uploads
     * stream to storage and are not bound by it.
     */
    @WithDefault("30s")
    Duration bodyTimeout();

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

    /** How long a listing's pagination token may be used; an older one is refused (start the listing again). */
    @WithDefault("24h")
    Duration paginationTokenLifetime();

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
