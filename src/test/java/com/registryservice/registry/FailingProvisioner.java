package com.registryservice.registry;

import jakarta.annotation.Priority;
import jakarta.inject.Singleton;
import jakarta.enterprise.inject.Alternative;

import com.registryservice.registry.service.RegistryProvisioner;

import io.smallrye.mutiny.Uni;

/**
 * Stands in for a failing provisioning backend for registries whose name starts with {@value #PREFIX}; all others
 * are provisioned by the real provisioner.
 */
@Alternative
@Priority(1)
@Singleton
public class FailingProvisioner extends RegistryProvisioner {

    public static final String PREFIX = "fail-provisioning";

    public FailingProvisioner(RegistryConfig config) {
        super(config);
    }

    @Override
    public Uni<String> provision(Registry registry) {
        if (registry.name.startsWith(PREFIX)) {
            return Uni.createFrom().failure(new IllegalStateException("the backend refused"));
        }
        return super.provision(registry);
    }
}
