package com.registryservice.api;

import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Recognises the failures that mean "the database cannot serve this right now" (refused or lost connections, a
 * closed pool, a connection that could not be had in time, a server shutting down or starting up, a deadlock or a
 * statement timeout), which the API answers with 503 and {@code Retry-After} rather than 500.
 */
public final class DatabaseUnavailable {

    /**
     * SQLSTATEs after which the same request may well succeed a moment later: 08 (connection exception), 57P (shutting
     * down, starting up), 40001 and 40P01 (a serialization failure or deadlock: the transaction was rolled back;
     * not 40003, after which a commit's outcome is unknown), 53000–53300 (insufficient resources: disk full, out of
     * memory, too many connections; not 53400, a configured limit that fails the same way each time), 55P03 (a lock
     * not available in time), 57014 (a statement timeout).
     */
    private static final List<String> TRANSIENT_STATES = List.of("08", "57P", "40001", "40P01",
            "53000", "53100", "53200", "53300", "55P03", "57014");

    private static final Set<String> MESSAGES = Set.of("connection refused", "connection is closed", "pool closed",
            "closed connection", "connection reset", "timeout", "failed to connect", "connection was closed");

    private DatabaseUnavailable() {
    }

    public static boolean is(Throwable failure) {
        // a client's connection closing is not the database's ("Connection was closed" says both)
        return !Causes.hungUp(failure) && (Causes.any(failure, DatabaseUnavailable::unreachable) || lostUnder(failure));
    }

    /**
     * A socket's reset reported together with a failure the database layer raised itself: the server went away under
     * a transaction, and Hibernate Reactive reports the reset with the transaction it could not roll back (found by
     * bench/db-outage.sh, answered 500). A reset alone, or beside failures raised elsewhere, is not enough: it may be
     * the client's own connection.
     */
    private static boolean lostUnder(Throwable failure) {
        return Causes.any(failure, java.net.SocketException.class::isInstance)
                && Causes.any(failure, DatabaseUnavailable::raisedByTheDatabaseLayer);
    }

    /** Whether the throwable was made by the database client or Hibernate Reactive (where it was created). */
    private static boolean raisedByTheDatabaseLayer(Throwable t) {
        StackTraceElement[] frames = t.getStackTrace();
        return frames.length > 0 && DATABASE_LAYER.stream().anyMatch(frames[0].getClassName()::startsWith);
    }

    private static final List<String> DATABASE_LAYER = List.of("io.vertx.sqlclient.", "io.vertx.pgclient.",
            "org.hibernate.reactive.");

    private static boolean unreachable(Throwable t) {
        if (t instanceof io.vertx.pgclient.PgException pg && pg.getSqlState() != null) {
            return TRANSIENT_STATES.stream().anyMatch(pg.getSqlState()::startsWith);
        }
        if (t instanceof ConnectException || t instanceof ClosedChannelException
                || t instanceof io.vertx.sqlclient.ClosedConnectionException
                || t.getClass().getName().startsWith("io.netty.channel.ConnectTimeoutException")) {
            return true;
        }
        String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
        return t.getClass().getName().startsWith("io.vertx") && MESSAGES.stream().anyMatch(message::contains);
    }

    /**
     * Whether the database refused a value the request carried (SQLSTATE class 22, data exception: a NUL character,
     * a number out of range, …): the client's mistake, answered 400, never 500 or 503.
     */
    public static boolean badValue(Throwable failure) {
        return Causes.any(failure, t -> t instanceof io.vertx.pgclient.PgException pg && pg.getSqlState() != null
                && pg.getSqlState().startsWith("22"));
    }

    /** What to tell a client whose value the database refused. */
    public static final String BAD_VALUE = "a value in the request cannot be used: it holds a character that"
            + " cannot be stored (such as NUL) or a number out of range";
}
