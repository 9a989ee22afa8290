package com.registryservice.database;

import java.nio.file.Path;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The embedded PostgreSQL (prefix {@code registry.embedded-postgres}), used when no datasource URL is configured.
 * These keys are read before CDI exists, by {@link EmbeddedPostgresConfigSourceFactory}; they are declared here to
 * document and validate them.
 */
@ConfigMapping(prefix = "registry.embedded-postgres")
public interface DatabaseConfig {

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
