package com.registryservice.registry.service;

import jakarta.enterprise.context.ApplicationScoped;

import com.registryservice.jobs.Job;
import com.registryservice.jobs.Jobs;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/** Forgets expired Idempotency-Keys every hour, so that the table stays as small as a day of creates. */
@ApplicationScoped
class IdempotencyKeyExpiry {

    private final Job job;

    IdempotencyKeyExpiry(RegistryService registries, Jobs jobs) {
        this.job = jobs.create("Idempotency-Key expiry", true, () -> registries.expireIdempotencyKeys()
                .invoke(count -> Log.debugf("Expired %d Idempotency-Keys", count)));
    }

    @Scheduled(identity = "idempotency-key-expiry", every = "1h", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> expire() {
        return job.run();
    }
}
