package com.registryservice.database;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.eclipse.microprofile.config.spi.ConfigSource;

import com.registryservice.config.StartupPhase;

import io.quarkus.runtime.ImageMode;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.common.MapBackedConfigSource;

/**
 * Points the datasources at an embedded PostgreSQL when none is configured, before the datasources initialise.
 *
 * <p>Settings (all optional): {@code registry.embedded-postgres.enabled} (default true),
 * {@code registry.embedded-postgres.data-dir} (default {@code data}), {@code registry.embedded-postgres.persistent}
 * (default true; false gives a throwaway database, as in tests) and {@code registry.embedded-postgres.port}
 * (default 0: any free port).
 */
public class EmbeddedPostgresConfigSourceFactory implements ConfigSourceFactory {

    static final String ENABLED = "registry.embedded-postgres.enabled";
    static final String DATA_DIR = "registry.embedded-postgres.data-dir";
    static final String PERSISTENT = "registry.embedded-postgres.persistent";
    static final String PORT = "registry.embedded-postgres.port";

    /** Above application.properties (250), below environment variables (300) and system properties (400). */
    private static final int ORDINAL = 275;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        // a native image cannot unpack and run the bundled PostgreSQL binaries: it needs an external database
        if (externalDatabaseConfigured(context) || !enabled(context) || StartupPhase.isBuildingTheApplication(context)
                || ImageMode.current().isNativeImage()) {
            return List.of();
        }
        boolean persistent = StartupPhase.value(context, PERSISTENT).map(Boolean::parseBoolean).orElse(true);
        Optional<Path> dataDir = persistent ? Optional.of(Path.of(StartupPhase.value(context, DATA_DIR).orElse("data")))
                : Optional.empty();
        int port = StartupPhase.value(context, PORT).map(Integer::parseInt).orElse(0);
        int actualPort = EmbeddedPostgresServer.startOrReuse(dataDir, port);
        return List.of(new MapBackedConfigSource("embedded-postgres", EmbeddedPostgresServer.datasourceProperties(actualPort),
                ORDINAL) {
        });
    }

    private static boolean externalDatabaseConfigured(ConfigSourceContext context) {
        return StartupPhase.value(context, "quarkus.datasource.reactive.url").isPresent()
                || StartupPhase.value(context, "quarkus.datasource.jdbc.url").isPresent();
    }

    private static boolean enabled(ConfigSourceContext context) {
        return StartupPhase.value(context, ENABLED).map(Boolean::parseBoolean).orElse(true);
    }
}
