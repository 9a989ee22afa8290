package com.registryservice.registry.service;

import jakarta.inject.Singleton;

import com.registryservice.registry.Registry;
import com.registryservice.registry.RegistryConfig;

import io.smallrye.mutiny.Uni;

/**
 * Makes a registry ready to serve and answers its hostname. Today that is naming it below the configured domain;
 * the data plane will hook in here. A failure marks the registry FAILED.
 */
@Singleton
public class RegistryProvisioner {

    private static final int MAX_HOSTNAME = 253;

    private final String domain;

    public RegistryProvisioner(RegistryConfig config) {
        this.domain = config.hostnameDomain();
    }

    public Uni<String> provision(Registry registry) {
        String hostname = registry.name + "." + domain;
        if (hostname.length() > MAX_HOSTNAME) {
            return Uni.createFrom().failure(new IllegalStateException("hostname " + hostname + " is longer than "
                    + MAX_HOSTNAME + " characters"));
        }
        return Uni.createFrom().item(hostname);
    }
}
