package com.registryservice.jobs;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.ShutdownEvent;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/** Makes the {@link Job}s of the features: the one way background work is started after a commit or on a schedule. */
@ApplicationScoped
public class Jobs {

    private final Vertx vertx;
    private final AtomicBoolean stopping = new AtomicBoolean();

    public Jobs(Vertx vertx) {
        this.vertx = vertx;
    }

    /**
     * @param name    for the log
     * @param enabled false when the feature's setting switches the work off on this instance
     * @param work    one round of the work: it finds what to do in the database, so rounds may be merged or lost
     */
    public Job create(String name, boolean enabled, Supplier<Uni<?>> work) {
        return new Job(name, enabled, work, vertx, stopping::get);
    }

    /**
     * The instance is stopping: no job starts another round, and a round that fails meanwhile (its session closed,
     * the container going, the database stopped first) is a DEBUG line, not a WARN about work the next instance redoes.
     */
    void onShutdown(@Observes ShutdownEvent event) {
        stop();
    }

    void stop() {
        stopping.set(true);
    }
}
