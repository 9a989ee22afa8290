package com.registryservice.registry.service;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/** Forgets expired Idempotency-Keys every hour, so that the table stays as small as a day of creates. */
@ApplicationScoped
class IdempotencyKeyExpiry {

    private final RegistryService registries;

    IdempotencyKeyExpiry(RegistryService registries) {
        this.registries = registries;
    }

    @Scheduled(identity = "idempotency-key-expiry", every = "1h", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> expire() {
        return registries.expireIdempotencyKeys()
                .invoke(count -> Log.debugf("Expired %d Idempotency-Keys", count))
                .replaceWithVoid();
    }
}
