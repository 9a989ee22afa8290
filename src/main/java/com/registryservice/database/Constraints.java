package com.registryservice.database;

import java.util.Optional;

import com.registryservice.api.Causes;

import io.vertx.pgclient.PgException;

/** Recognises PostgreSQL constraint violations behind whatever wraps them (Hibernate, Vert.x). */
public final class Constraints {

    private static final String UNIQUE_VIOLATION = "23505";

    private Constraints() {
    }

    public static boolean isUniqueViolation(Throwable failure) {
        return Causes.any(failure, t -> t instanceof org.hibernate.exception.ConstraintViolationException cve
                && cve.getKind() == org.hibernate.exception.ConstraintViolationException.ConstraintKind.UNIQUE
                || t instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState()));
    }

    /** Whether {@code failure} is a violation of the named constraint. */
    public static boolean violated(Throwable failure, String constraint) {
        return constraintName(failure).map(constraint::equalsIgnoreCase).orElse(false);
    }

    private static Optional<String> constraintName(Throwable failure) {
        return Causes.first(failure, t -> constraintOf(t) != null).map(Constraints::constraintOf);
    }

    private static String constraintOf(Throwable t) {
        return t instanceof org.hibernate.exception.ConstraintViolationException cve ? cve.getConstraintName()
                : t instanceof PgException pg ? pg.getConstraint() : null;
    }
}
