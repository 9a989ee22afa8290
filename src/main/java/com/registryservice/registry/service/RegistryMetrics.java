package com.registryservice.registry.service;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import com.registryservice.jobs.Job;
import com.registryservice.jobs.Jobs;
import com.registryservice.registry.Registry;
import com.registryservice.registry.repository.RegistryRepository;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/** The gauge of registries by state ({@code registry.registries{state=…}}), counted by the database every 15 s. */
@ApplicationScoped
public class RegistryMetrics {

    private final Map<Registry.State, AtomicLong> counts = new EnumMap<>(Registry.State.class);
    private final Job job;

    public RegistryMetrics(RegistryRepository repository, MeterRegistry meters, Jobs jobs) {
        // the repository opens its own session (@WithSession)
        this.job = jobs.create("Counting registries for the metrics", true, () -> repository.countByState()
                .invoke(byState -> counts.forEach((state, count) -> count.set(byState.getOrDefault(state, 0L)))));
        for (Registry.State state : Registry.State.values()) {
            AtomicLong count = new AtomicLong();
            counts.put(state, count);
            meters.gauge("registry.registries", io.micrometer.core.instrument.Tags.of("state", state.name()), count);
        }
    }

    @Scheduled(identity = "registry-metrics", every = "15s", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        return job.run();
    }
}
