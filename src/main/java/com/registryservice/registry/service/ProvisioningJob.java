package com.registryservice.registry.service;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.registryservice.jobs.Job;
import com.registryservice.jobs.Jobs;
import com.registryservice.registry.Registry;
import com.registryservice.registry.repository.RegistryRepository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Moves registries from BUSY to RUNNING (or FAILED). Work is found in the database, so it is crash-safe: a registry
 * left BUSY by a crash is picked up by the first round after any instance starts, and instances share the work.
 * A round runs every {@code registry.provisioning-poll-interval}, and right after a create or replace commits
 * ({@link #kick()}).
 */
@ApplicationScoped
public class ProvisioningJob {

    /** How many BUSY registries one round takes on. */
    private static final int BATCH = 100;

    private final RegistryRepository repository;
    private final RegistryProvisioner provisioner;
    private final Job job;

    public ProvisioningJob(RegistryRepository repository, RegistryProvisioner provisioner, Jobs jobs) {
        this.repository = repository;
        this.provisioner = provisioner;
        this.job = jobs.create("Provisioning", true, this::provisionPending);
    }

    @Scheduled(identity = "provisioning", every = "${registry.provisioning-poll-interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        return job.run();
    }

    /** Provisions what waits, soon, without delaying the caller. */
    public void kick() {
        job.kick();
    }

    /** One round: the registries waiting for it, locked (rows other instances hold are skipped), in one transaction. */
    Uni<Void> provisionPending() {
        return Panache.withTransaction(() -> repository.lockPendingProvisioning(BATCH)
                .onItem().transformToMulti(list -> Multi.createFrom().iterable(list))
                // one at a time: a reactive session runs one statement at a time
                .onItem().transformToUniAndConcatenate(this::provision)
                .collect().last()
                .replaceWithVoid());
    }

    private Uni<Registry> provision(Registry registry) {
        return provisioner.provision(registry)
                .map(hostname -> {
                    registry.hostname = hostname;
                    registry.state = Registry.State.RUNNING;
                    return registry;
                })
                .onFailure().recoverWithItem(failure -> {
                    Log.warnf("Provisioning registry %s (%s) failed: %s", registry.id, registry.name,
                            failure.getMessage());
                    registry.state = Registry.State.FAILED;
                    return registry;
                });
    }
}
