package com.registryservice.registry.service;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Moves registries from BUSY to RUNNING (or FAILED). Work is found in the database, so it is crash-safe: a registry
 * left BUSY by a crash is picked up by the first run after any instance starts, and instances share the work.
 * It runs every {@code registry.provisioning-poll-interval}, and right after a create or replace ({@link #soon()}).
 */
@ApplicationScoped
public class ProvisioningJob {

    private final RegistryService registries;
    private final Vertx vertx;

    public ProvisioningJob(RegistryService registries, Vertx vertx) {
        this.registries = registries;
        this.vertx = vertx;
    }

    @Scheduled(identity = "provisioning", every = "${registry.provisioning-poll-interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> provisionPending() {
        return registries.provisionPending();
    }

    /**
     * Provisions what waits, without delaying the caller: on a fresh Vert.x context, so that it gets a reactive
     * session of its own instead of the (closing) one of the request that asked.
     */
    public void soon() {
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(ignored -> registries.provisionPending().subscribe().with(
                done -> {
                },
                failure -> Log.warnf("Provisioning after a change failed (the next scheduled run retries): %s",
                        failure.getMessage())));
    }
}
