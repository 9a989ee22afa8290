package com.registryservice.security;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.microprofile.config.spi.ConfigSource;

import com.registryservice.config.StartupPhase;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;

/**
 * Stops the service at start, with a message naming the path, when its users or roles file is missing. Without it,
 * the properties-file realm fails with a message that names neither the file nor what to do. It runs with the
 * configuration sources because that is before the realm loads; it adds no configuration.
 */
public class UsersFileCheck implements ConfigSourceFactory {

    private static final String PREFIX = "quarkus.security.users.file.";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        boolean enabled = StartupPhase.value(context, PREFIX + "enabled").map(Boolean::parseBoolean).orElse(false);
        if (enabled && !StartupPhase.isBuildingTheApplication(context)) {
            StartupPhase.value(context, PREFIX + "users").ifPresent(path -> requireFile(path, "users"));
            StartupPhase.value(context, PREFIX + "roles").ifPresent(path -> requireFile(path, "roles"));
        }
        return List.of();
    }

    /** The realm reads the file system first, then the classpath (tests keep their users there). */
    private static void requireFile(String path, String what) {
        boolean onDisk = Files.isRegularFile(Path.of(path));
        boolean onClasspath = Thread.currentThread().getContextClassLoader().getResource(path) != null;
        if (!onDisk && !onClasspath) {
            throw new IllegalStateException("The " + what + " file " + Path.of(path).toAbsolutePath()
                    + " does not exist. Create it (see the README, section 'Users') in the directory the service runs"
                    + " in, e.g. by copying config/" + what + ".properties.example, and start again.");
        }
    }
}
