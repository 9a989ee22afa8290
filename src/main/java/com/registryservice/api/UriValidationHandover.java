package com.registryservice.api;

import java.util.List;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;

/**
 * Hands the check of the request target from Quarkus to {@link HttpEdge}. Quarkus parses every target with
 * {@link java.net.URI} before any route and answers what does not parse ({@code /registries/%zz}, a {@code |} in a
 * query) with a bare 400 that names nothing; its only switch is the system property {@value #SWITCH}, read once when
 * its HTTP recorder class initialises, before any bean exists. {@link HttpEdge} parses the target the same way and
 * answers in the API's error shape, so nothing that was refused before is let through.
 *
 * <p>A configuration-source factory is the earliest code an application has in every launch mode (the packaged jar,
 * dev mode, tests, and the static init of a native image, which runs at build time): it sets the switch and adds no
 * configuration.
 */
public class UriValidationHandover implements ConfigSourceFactory {

    static final String SWITCH = "vertx.disableURIValidation";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        System.setProperty(SWITCH, "true");
        return List.of();
    }
}
