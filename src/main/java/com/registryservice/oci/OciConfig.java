package com.registryservice.oci;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the OCI data plane (prefix {@code registry.oci}); listed in the README. */
@ConfigMapping(prefix = "registry.oci")
public interface OciConfig {

    /**
     * Blob uploads one instance streams at once (POST with a body, PATCH, PUT); one more is answered 429
     * {@code TOOMANYREQUESTS} with {@code Retry-After} (registry clients fail the push with it rather than retry).
     * Each holds an open file and a share of the disk's bandwidth, not memory: memory stays flat whatever the number.
     */
    @WithDefault("256")
    int maxConcurrentUploads();

    /**
     * Of those, the most one registry streams at once on an instance (a registry streaming none is always admitted
     * up to the instance's limit); one more of it is answered 429 {@code TOOMANYREQUESTS} with {@code Retry-After},
     * while other registries still push.
     */
    @WithDefault("64")
    int maxConcurrentUploadsPerRegistry();

    /**
     * Memory one instance gives to manifest bodies being received (a manifest is read whole; each is counted at its
     * Content-Length, or at the 4 MiB limit when sent without one); a push beyond it is answered 429
     * {@code TOOMANYREQUESTS} with {@code Retry-After}. Typical manifests are a few KiB.
     */
    @WithDefault("32M")
    io.quarkus.runtime.configuration.MemorySize manifestMemory();

    /**
     * Of that memory, the most one registry's manifests hold at once (a registry receiving none is always admitted
     * up to the instance's memory); one more of it is answered 429 {@code TOOMANYREQUESTS} with {@code Retry-After}.
     */
    @WithDefault("8M")
    io.quarkus.runtime.configuration.MemorySize manifestMemoryPerRegistry();

    /**
     * How often each instance writes the manifest pulls it counted (one statement for all): pulls are reads, and a
     * write per pull would cost half of an instance's throughput. A crash loses at most this interval's counts.
     */
    @WithDefault("1s")
    java.time.Duration pullCountInterval();

    /**
     * Proxies (addresses or CIDRs, comma-separated) whose {@code X-Forwarded-For} is believed when the allow list of
     * a registry is checked; the header of any other peer counts for nothing. Empty by default: the peer is the client.
     */
    java.util.Optional<java.util.List<String>> trustedProxies();
}
