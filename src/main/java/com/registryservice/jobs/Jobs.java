package com.registryservice.jobs;

import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/** Makes the {@link Job}s of the features: the one way background work is started after a commit or on a schedule. */
@ApplicationScoped
public class Jobs {

    private final Vertx vertx;

    public Jobs(Vertx vertx) {
        this.vertx = vertx;
    }

    /**
     * @param name    for the log
     * @param enabled false when the feature's setting switches the work off on this instance
     * @param work    one round of the work: it finds what to do in the database, so rounds may be merged or lost
     */
    public Job create(String name, boolean enabled, Supplier<Uni<?>> work) {
        return new Job(name, enabled, work, vertx);
    }
}
