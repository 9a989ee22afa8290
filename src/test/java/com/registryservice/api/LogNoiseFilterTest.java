package com.registryservice.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;

class LogNoiseFilterTest {

    private final LogNoiseFilter filter = new LogNoiseFilter();

    private static LogRecord record(String logger, Throwable thrown) {
        LogRecord record = new LogRecord(Level.SEVERE, "Exception in SSE server handling, impossible to send it to client");
        record.setLoggerName(logger);
        record.setThrown(thrown);
        return record;
    }

    @Test
    void anEventStreamResetByItsClientIsNotAnError() {
        assertFalse(filter.isLoggable(record(LogNoiseFilter.EVENT_STREAM_LOGGER,
                new IOException("Connection reset by peer"))));
        assertFalse(filter.isLoggable(record(LogNoiseFilter.EVENT_STREAM_LOGGER,
                new RuntimeException(new IOException("Broken pipe")))));
        assertFalse(filter.isLoggable(record(LogNoiseFilter.EVENT_STREAM_LOGGER,
                new IOException("writevAddresses(..) failed: Connection reset by peer"))));
        assertFalse(filter.isLoggable(record(LogNoiseFilter.EVENT_STREAM_LOGGER, new IOException("Connection reset"))));
        assertFalse(filter.isLoggable(record(LogNoiseFilter.EVENT_STREAM_LOGGER, new ClosedChannelException())));
        assertFalse(filter.isLoggable(record(LogNoiseFilter.EVENT_STREAM_LOGGER,
                new io.vertx.core.http.HttpClosedException("closed"))));
    }

    @Test
    void anEventStreamsOwnFailureStaysAnError() {
        assertTrue(filter.isLoggable(record(LogNoiseFilter.EVENT_STREAM_LOGGER,
                new IllegalStateException("Cannot write event"))));
        assertTrue(filter.isLoggable(record(LogNoiseFilter.EVENT_STREAM_LOGGER, new IOException("No space left"))));
        assertTrue(filter.isLoggable(record(LogNoiseFilter.EVENT_STREAM_LOGGER, null)));
    }

    /**
     * The pool's stale timer, thrown by the real library: a statement on a pool whose database is not there fails at
     * once, and the statement's timer (1 s here, 30 s by default) fires later into Vert.x's handler of what callbacks
     * throw. Should vertx-sql-client fix it, nothing arrives there and this test says so: the rule can then go.
     */
    @Test
    void thePoolsTimerFiringForAStatementThatAlreadyFailedIsNotAnError() throws Exception {
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        try {
            java.util.concurrent.CompletableFuture<Throwable> uncaught = new java.util.concurrent.CompletableFuture<>();
            vertx.exceptionHandler(uncaught::complete);
            int closedPort;
            try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
                closedPort = socket.getLocalPort();
            }
            io.vertx.sqlclient.Pool pool = io.vertx.pgclient.PgBuilder.pool()
                    .with(new io.vertx.sqlclient.PoolOptions().setConnectionTimeout(1))
                    .connectingTo(new io.vertx.pgclient.PgConnectOptions().setHost("127.0.0.1").setPort(closedPort))
                    .using(vertx).build();
            Throwable refused = pool.query("select 1").execute().toCompletionStage().toCompletableFuture()
                    .handle((rows, failure) -> failure).get(10, java.util.concurrent.TimeUnit.SECONDS);
            // refused, as a rule (any failure to connect leaves the timer behind)
            assertTrue(refused != null, "a statement with no database to run on failed");
            Throwable stale = uncaught.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertFalse(filter.isLoggable(record(LogNoiseFilter.VERTX_UNCAUGHT_LOGGER, stale)), stale.toString());
            // the same record in another category, and another failure in this one, stay errors
            assertTrue(filter.isLoggable(record("io.vertx.core.impl.ContextImpl", stale)));
            assertTrue(filter.isLoggable(record(LogNoiseFilter.VERTX_UNCAUGHT_LOGGER,
                    new IllegalStateException("Result is already complete"))));
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Test
    void otherCategoriesAreLeftAlone() {
        assertTrue(filter.isLoggable(record("io.vertx.core.net.impl.ConnectionBase",
                new IOException("Connection reset by peer"))));
    }
}
