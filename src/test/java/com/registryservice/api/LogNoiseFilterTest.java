package com.registryservice.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;

class HangUpLogFilterTest {

    private final HangUpLogFilter filter = new HangUpLogFilter();

    private static LogRecord record(String logger, Throwable thrown) {
        LogRecord record = new LogRecord(Level.SEVERE, "Exception in SSE server handling, impossible to send it to client");
        record.setLoggerName(logger);
        record.setThrown(thrown);
        return record;
    }

    @Test
    void anEventStreamResetByItsClientIsNotAnError() {
        assertFalse(filter.isLoggable(record(HangUpLogFilter.EVENT_STREAM_LOGGER,
                new IOException("Connection reset by peer"))));
        assertFalse(filter.isLoggable(record(HangUpLogFilter.EVENT_STREAM_LOGGER,
                new RuntimeException(new IOException("Broken pipe")))));
        assertFalse(filter.isLoggable(record(HangUpLogFilter.EVENT_STREAM_LOGGER,
                new IOException("writevAddresses(..) failed: Connection reset by peer"))));
        assertFalse(filter.isLoggable(record(HangUpLogFilter.EVENT_STREAM_LOGGER, new IOException("Connection reset"))));
        assertFalse(filter.isLoggable(record(HangUpLogFilter.EVENT_STREAM_LOGGER, new ClosedChannelException())));
        assertFalse(filter.isLoggable(record(HangUpLogFilter.EVENT_STREAM_LOGGER,
                new io.vertx.core.http.HttpClosedException("closed"))));
    }

    @Test
    void anEventStreamsOwnFailureStaysAnError() {
        assertTrue(filter.isLoggable(record(HangUpLogFilter.EVENT_STREAM_LOGGER,
                new IllegalStateException("Cannot write event"))));
        assertTrue(filter.isLoggable(record(HangUpLogFilter.EVENT_STREAM_LOGGER, new IOException("No space left"))));
        assertTrue(filter.isLoggable(record(HangUpLogFilter.EVENT_STREAM_LOGGER, null)));
    }

    @Test
    void otherCategoriesAreLeftAlone() {
        assertTrue(filter.isLoggable(record("io.vertx.core.net.impl.ConnectionBase",
                new IOException("Connection reset by peer"))));
    }
}
