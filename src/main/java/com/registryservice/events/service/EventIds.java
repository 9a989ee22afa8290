package com.registryservice.events.service;

import java.nio.ByteBuffer;
import java.util.Optional;

import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import com.registryservice.api.ServiceKeys;

import io.smallrye.mutiny.Uni;

/**
 * Event ids as a contract's clients see them: the log's id sealed and bound to the contract ({@link ServiceKeys}).
 * The log's ids count every tenant's changes; sealed, they tell a customer nothing of how busy the others are, and
 * another contract's id is, to a stream, just an id it never sent.
 */
@ApplicationScoped
public class EventIds {

    private static final String PURPOSE = "event-ids";

    private final ServiceKeys keys;

    public EventIds(ServiceKeys keys) {
        this.keys = keys;
    }

    /** The ids of one contract's streams. */
    public Uni<Codec> of(String contract) {
        return keys.key(PURPOSE).map(key -> new Codec(key, contract));
    }

    /** Seals and opens one contract's event ids. */
    public record Codec(SecretKeySpec key, String contract) {

        /** The id an event is sent with. */
        public String text(long id) {
            return ServiceKeys.seal(key, ByteBuffer.allocate(Long.BYTES).putLong(id).array(), contract);
        }

        /** The log's id behind a Last-Event-ID; empty when this contract's streams never sent it. */
        public Optional<Long> id(String text) {
            return ServiceKeys.open(key, text, contract).filter(bytes -> bytes.length == Long.BYTES)
                    .map(bytes -> ByteBuffer.wrap(bytes).getLong());
        }
    }
}
