package com.registryservice.api;

import java.util.Optional;
import java.util.function.Predicate;

/** Looks behind whatever wraps a failure (Hibernate, Mutiny, Vert.x, the AWS SDK): the failure and its causes. */
public final class Causes {

    private Causes() {
    }

    /** The first of the failure and its causes that matches, outermost first. */
    public static Optional<Throwable> first(Throwable failure, Predicate<Throwable> test) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (test.test(t)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** Whether the failure or any of its causes matches. */
    public static boolean any(Throwable failure, Predicate<Throwable> test) {
        return first(failure, test).isPresent();
    }
}
