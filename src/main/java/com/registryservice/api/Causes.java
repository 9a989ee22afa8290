package com.registryservice.api;

import java.util.Optional;
import java.util.function.Predicate;

/** Looks behind whatever wraps a failure (Hibernate, Mutiny, Vert.x, the AWS SDK): the failure and its causes. */
public final class Causes {

    /** How far down a chain is looked: causes may form a cycle (A caused by B caused by A). */
    private static final int MAX_DEPTH = 64;

    private Causes() {
    }

    /** The first of the failure and its causes that matches, outermost first. */
    public static Optional<Throwable> first(Throwable failure, Predicate<Throwable> test) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth++ < MAX_DEPTH; t = t.getCause() == t ? null : t.getCause()) {
            if (test.test(t)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** Whether the failure is the client's connection closing (a hang-up), anywhere in its causes. */
    public static boolean hungUp(Throwable failure) {
        return any(failure, cause -> cause instanceof io.vertx.core.http.HttpClosedException);
    }

    /** Whether the failure or any of its causes matches. */
    public static boolean any(Throwable failure, Predicate<Throwable> test) {
        return first(failure, test).isPresent();
    }
}
