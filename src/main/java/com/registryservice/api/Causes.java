package com.registryservice.api;

import java.util.Optional;
import java.util.function.Predicate;

/** Looks behind whatever wraps a failure (Hibernate, Mutiny, Vert.x, the AWS SDK): the failure and its causes. */
public final class Causes {

    /** How many failures are looked at, at most: causes may form a cycle (A caused by B caused by A). */
    private static final int MAX_DEPTH = 64;

    private Causes() {
    }

    /**
     * The first of the failure, its causes and what they suppressed that matches, outermost first. Suppressed ones
     * count: Mutiny keeps all but the first of several failures there (a {@code CompositeException}).
     */
    public static Optional<Throwable> first(Throwable failure, Predicate<Throwable> test) {
        java.util.Deque<Throwable> next = new java.util.ArrayDeque<>();
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        if (failure != null) {
            next.add(failure);
        }
        while (!next.isEmpty() && seen.size() < MAX_DEPTH) {
            Throwable t = next.poll();
            if (!seen.add(t)) {
                continue;
            }
            if (test.test(t)) {
                return Optional.of(t);
            }
            if (t.getCause() != null) {
                next.add(t.getCause());
            }
            next.addAll(java.util.Arrays.asList(t.getSuppressed()));
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
