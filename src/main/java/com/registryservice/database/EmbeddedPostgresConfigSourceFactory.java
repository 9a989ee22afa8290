package com.registryservice.database;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.quarkus.runtime.ImageMode;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
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
        if (externalDatabaseConfigured(context) || !enabled(context) || isBuildingTheApplication(context)) {
            return List.of();
        }
        boolean persistent = value(context, PERSISTENT).map(Boolean::parseBoolean).orElse(true);
        Optional<Path> dataDir = persistent ? Optional.of(Path.of(value(context, DATA_DIR).orElse("data")))
                : Optional.empty();
        int port = value(context, PORT).map(Integer::parseInt).orElse(0);
        int actualPort = EmbeddedPostgresServer.startOrReuse(dataDir, port);
        return List.of(new MapBackedConfigSource("embedded-postgres", EmbeddedPostgresServer.datasourceProperties(actualPort),
                ORDINAL) {
        });
    }

    private static boolean externalDatabaseConfigured(ConfigSourceContext context) {
        return value(context, "quarkus.datasource.reactive.url").isPresent()
                || value(context, "quarkus.datasource.jdbc.url").isPresent();
    }

    private static boolean enabled(ConfigSourceContext context) {
        return value(context, ENABLED).map(Boolean::parseBoolean).orElse(true);
    }

    /**
     * Quarkus also reads configuration while it builds the application ({@code mvnw package}, and the static init
     * of a native image). A database started then would be useless, and its random port would be baked into the
     * build. Dev mode and tests build and run in one JVM, so they may start it at either point.
     */
    private static boolean isBuildingTheApplication(ConfigSourceContext context) {
        if (ImageMode.current() == ImageMode.NATIVE_BUILD || ImageMode.current() == ImageMode.NATIVE_RUN) {
            return true;
        }
        List<String> profiles = context.getProfiles();
        boolean devOrTest = profiles.contains("dev") || profiles.contains("test");
        return !devOrTest && onClasspath("io.quarkus.deployment.QuarkusAugmentor");
    }

    private static Optional<String> value(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        return Optional.ofNullable(value == null ? null : value.getValue());
    }

    private static boolean onClasspath(String className) {
        try {
            Class.forName(className, false, Thread.currentThread().getContextClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
