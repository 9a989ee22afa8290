package com.registryservice.gc.service;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** The garbage-collection metrics on the Prometheus endpoint: runs by outcome, run duration, bytes freed. */
@ApplicationScoped
public class GcMetrics {

    private final MeterRegistry registry;
    private final Timer duration;
    private final Counter freed;

    public GcMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.duration = Timer.builder("registry.gc.run.duration").description("Duration of garbage-collection runs")
                .publishPercentileHistogram().register(registry);
        this.freed = Counter.builder("registry.gc.freed.bytes").description("Bytes freed by garbage collection")
                .baseUnit("bytes").register(registry);
    }

    /** A run ended: SUCCEEDED, FAILED, SKIPPED or TAKEN_OVER (another instance took it after the lease expired). */
    public void runEnded(String outcome, Duration took) {
        registry.counter("registry.gc.runs", "outcome", outcome).increment();
        if (took != null) {
            duration.record(took);
        }
    }

    public void runsSkipped(int count) {
        if (count > 0) {
            registry.counter("registry.gc.runs", "outcome", "SKIPPED").increment(count);
        }
    }

    public void freed(long bytes) {
        if (bytes > 0) {
            freed.increment(bytes);
        }
    }
}
