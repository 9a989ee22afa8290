package com.registryservice.api;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Filter;
import java.util.logging.LogRecord;

import io.quarkus.logging.Log;
import io.quarkus.logging.LoggingFilter;

/**
 * Keeps what is no failure of the service out of the ERROR log, each rule as narrow as the record it matches; every
 * other record passes. Such a record becomes one DEBUG line.
 * <ul>
 * <li>A client's hang-up. Quarkus REST logs every failed write of an event stream at ERROR with a stack trace
 * ("Exception in SSE server handling"), a connection the client reset mid-stream included (seen in about 1 of 8 event
 * streams reset while their missed events were being replayed). The same category's other failures (an error of the
 * stream itself) stay ERROR.</li>
 * <li>The database pool's stale timer (vertx-sql-client issue 1706, open in 4.5.x): when a statement run on the pool
 * cannot get a connection (the database is down), the caller is told at once, but the pool's 30 s timer for that
 * statement is not cancelled, and when it fires it fails the answered promise again: "Result is already complete",
 * an uncaught ERROR with a stack trace for every statement tried during an outage (112 after a 15 s outage in
 * bench/db-outage.sh). Nothing is lost: the statement had already failed and was answered 503.</li>
 * </ul>
 */
@LoggingFilter(name = LogNoiseFilter.NAME)
public final class LogNoiseFilter implements Filter {

    /** The name {@code quarkus.log.console.filter} refers to. */
    public static final String NAME = "known-noise";

    /** The category Quarkus REST logs event-stream write failures in. */
    static final String EVENT_STREAM_LOGGER = "org.jboss.resteasy.reactive.server.handlers.PublisherResponseHandler";

    /** The category Quarkus logs what a Vert.x callback threw in. */
    static final String VERTX_UNCAUGHT_LOGGER = "io.quarkus.vertx.core.runtime.VertxCoreRecorder";

    /** The pool whose timer fails an answered statement again. */
    private static final String SQL_POOL = "io.vertx.sqlclient.impl.pool.SqlConnectionPool";

    /**
     * How a socket write says the peer has gone, at the end of its message (the text is all NIO gives, no error code;
     * Netty's native transport prefixes the call: "writevAddresses(..) failed: Connection reset by peer").
     */
    private static final List<String> PEER_GONE = List.of("Connection reset by peer", "Connection reset", "Broken pipe");

    @Override
    public boolean isLoggable(LogRecord record) {
        Throwable thrown = record.getThrown();
        if (thrown == null) {
            return true;
        }
        if (EVENT_STREAM_LOGGER.equals(record.getLoggerName()) && peerGone(thrown)) {
            Log.debugf("An event stream's client went away mid-stream: %s", thrown.getMessage());
            return false;
        }
        if (VERTX_UNCAUGHT_LOGGER.equals(record.getLoggerName()) && staleStatementTimer(thrown)) {
            Log.debugf("The database pool's timer fired for a statement already failed (vertx-sql-client 1706)");
            return false;
        }
        return true;
    }

    /** Whether the failure is the connection's end, from the client's side: a reset, a broken pipe, a closed channel. */
    static boolean peerGone(Throwable failure) {
        return Causes.hungUp(failure) || Causes.any(failure, cause -> cause instanceof ClosedChannelException
                || cause instanceof IOException && cause.getMessage() != null
                        && PEER_GONE.stream().anyMatch(cause.getMessage()::endsWith));
    }

    /** Whether the failure is the pool's timer completing a statement's answered promise a second time. */
    static boolean staleStatementTimer(Throwable failure) {
        return failure instanceof IllegalStateException && "Result is already complete".equals(failure.getMessage())
                && Arrays.stream(failure.getStackTrace()).limit(3)
                        .anyMatch(frame -> frame.getClassName().equals(SQL_POOL)
                                && frame.getMethodName().startsWith("lambda$execute"));
    }
}
