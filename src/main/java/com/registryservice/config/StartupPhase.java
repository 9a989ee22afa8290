package com.registryservice.config;

import java.util.List;
import java.util.Optional;

import io.quarkus.runtime.ImageMode;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigValue;

/**
 * What the configuration-source factories need to know about the moment they run in: they run before CDI exists,
 * both while Quarkus builds the application and when it starts.
 */
public final class StartupPhase {

    private StartupPhase() {
    }

    /**
     * Whether Quarkus is building the application ({@code mvnw package}, or the static init of a native image)
     * rather than starting it. Dev mode and tests build and run in one JVM, so they count as starting.
     */
    public static boolean isBuildingTheApplication(ConfigSourceContext context) {
        if (ImageMode.current() == ImageMode.NATIVE_BUILD) {
            return true;
        }
        List<String> profiles = context.getProfiles();
        boolean devOrTest = profiles.contains("dev") || profiles.contains("test");
        return !devOrTest && onClasspath("io.quarkus.deployment.QuarkusAugmentor");
    }

    public static Optional<String> value(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        return Optional.ofNullable(value == null ? null : value.getValue()).filter(v -> !v.isEmpty());
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
