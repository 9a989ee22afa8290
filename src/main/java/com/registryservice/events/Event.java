package com.registryservice.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A change of a registry or of one of its GC runs, as the event log holds it. {@code position} orders events
 * across transactions (see {@code V5__events.sql}); {@code data} is JSON text, passed through as it is.
 */
public record Event(long id, Position position, String contract, String location, UUID registryId, String type,
        String data, Instant createdAt) {

    /** The final event of a stream whose client fell behind: reconnect with the last id received. */
    public static final String DROPPED = "stream.dropped";
    /** The first event of a stream whose Last-Event-ID the log no longer holds. */
    public static final String GAP = "stream.gap";
    /** Sent as an SSE comment: keeps proxies and load balancers from closing a quiet stream. */
    public static final String HEARTBEAT = "stream.heartbeat";

    /** An event of the stream itself, not of the log: without a position, so it has no id for Last-Event-ID. */
    public static Event notice(String type, String data) {
        return new Event(0, null, "", "", null, type, data, Instant.now());
    }

    /** Where an event sits in the log: the writing transaction's id, then the event's id. */
    public record Position(String xid, long id) {
    }
}
