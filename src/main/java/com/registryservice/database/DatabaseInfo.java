package com.registryservice.database;

import java.net.URI;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.SmallRyeConfig;

/** Says at start which PostgreSQL the service uses, without credentials. */
@ApplicationScoped
public class DatabaseInfo {

    private final DatabaseConfig config;

    public DatabaseInfo(DatabaseConfig config) {
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        ConfigValue url = ConfigProvider.getConfig().unwrap(SmallRyeConfig.class)
                .getConfigValue("quarkus.datasource.reactive.url");
        if (url.getValue() == null) {
            return;
        }
        boolean embedded = EmbeddedPostgresServer.runningPort()
                .map(port -> url.getValue().contains("localhost:" + port + "/")).orElse(false);
        String where = !embedded ? "" : config.persistent() ? ", data in " + config.dataDir().toAbsolutePath()
                : ", throwaway data";
        Log.infof("Database: %s PostgreSQL at %s%s", embedded ? "the embedded" : "an external",
                withoutSecrets(url.getValue()), where);
    }

    /** Host, port and database only: a URL may carry a user, a password or options. */
    static String withoutSecrets(String url) {
        try {
            URI uri = URI.create(url.startsWith("vertx-reactive:") ? url.substring("vertx-reactive:".length()) : url);
            return uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + (uri.getPath() == null ? "" : uri.getPath());
        } catch (IllegalArgumentException e) {
            return "(a URL that is not printed)";
        }
    }
}
