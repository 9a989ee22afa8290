package com.registryservice.events.service;

import jakarta.enterprise.context.ApplicationScoped;

import com.registryservice.events.repository.EventRepository;
import com.registryservice.events.EventsConfig;
import com.registryservice.jobs.Job;
import com.registryservice.jobs.Jobs;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/** Deletes events older than {@code registry.events.retention} every hour, so that the log stays bounded. */
@ApplicationScoped
class EventRetention {

    private final Job job;

    EventRetention(EventRepository events, EventsConfig config, Jobs jobs) {
        this.job = jobs.create("Event retention", true, () -> events.deleteOlderThan(config.retention())
                .invoke(count -> Log.debugf("Deleted %d expired events", count)));
    }

    @Scheduled(identity = "event-retention", every = "1h", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> deleteExpired() {
        return job.run();
    }
}
