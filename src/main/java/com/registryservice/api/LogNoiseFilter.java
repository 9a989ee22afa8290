package com.registryservice.api;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.logging.Filter;
import java.util.logging.LogRecord;

import io.quarkus.logging.Log;
import io.quarkus.logging.LoggingFilter;

/**
 * Keeps a client's hang-up out of the ERROR log. Quarkus REST logs every failed write of an event stream at ERROR
 * with a stack trace ("Exception in SSE server handling"), a connection the client reset mid-stream included (seen
 * in about 1 of 8 event streams reset while their missed events were being replayed). Those records become one
 * DEBUG line; the same category's other failures (an error of the stream itself) stay ERROR.
 */
@LoggingFilter(name = HangUpLogFilter.NAME)
public final class HangUpLogFilter implements Filter {

    /** The name {@code quarkus.log.console.filter} refers to. */
    public static final String NAME = "hang-ups";

    /** The category Quarkus REST logs event-stream write failures in. */
    static final String EVENT_STREAM_LOGGER = "org.jboss.resteasy.reactive.server.handlers.PublisherResponseHandler";

    /**
     * How a socket write says the peer has gone, at the end of its message (the text is all NIO gives, no error code;
     * Netty's native transport prefixes the call: "writevAddresses(..) failed: Connection reset by peer").
     */
    private static final List<String> PEER_GONE = List.of("Connection reset by peer", "Connection reset", "Broken pipe");

    @Override
    public boolean isLoggable(LogRecord record) {
        if (!EVENT_STREAM_LOGGER.equals(record.getLoggerName()) || record.getThrown() == null
                || !peerGone(record.getThrown())) {
            return true;
        }
        Log.debugf("An event stream's client went away mid-stream: %s", record.getThrown().getMessage());
        return false;
    }

    /** Whether the failure is the connection's end, from the client's side: a reset, a broken pipe, a closed channel. */
    static boolean peerGone(Throwable failure) {
        return Causes.hungUp(failure) || Causes.any(failure, cause -> cause instanceof ClosedChannelException
                || cause instanceof IOException && cause.getMessage() != null
                        && PEER_GONE.stream().anyMatch(cause.getMessage()::endsWith));
    }
}
