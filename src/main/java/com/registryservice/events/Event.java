package com.registryservice.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A change of a registry or of one of its GC runs, as the event log holds it. {@code position} orders events
 * across transactions (see {@code V5__events.sql}); {@code data} is JSON text, passed through as it is.
 */
public record Event(long id, Position position, String contract, String location, UUID registryId, String type,
        String data, Instant createdAt) {

    /** Where an event sits in the log: the writing transaction's id, then the event's id. */
    public record Position(String xid, long id) {
    }
}
