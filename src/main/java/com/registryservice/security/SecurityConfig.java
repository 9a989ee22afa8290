package com.registryservice.security;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of authentication (prefix {@code registry.security}); listed in the README. */
@ConfigMapping(prefix = "registry.security")
public interface SecurityConfig {

    /**
     * How long a verified user name and password is taken without checking it again (both APIs); {@code 0s} checks
     * every request. Wrong passwords are never remembered.
     */
    @WithDefault("30s")
    Duration loginCacheLifetime();
}
