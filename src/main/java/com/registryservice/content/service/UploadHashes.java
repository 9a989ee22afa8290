package com.registryservice.content.service;

import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import com.registryservice.content.Digest;

/**
 * What this instance knows of the uploads it receives: the sha256 state of each one as far as its bytes have passed
 * (so no byte is read twice to verify a digest), and which uploads a request is writing to right now. An upload
 * continued on another instance simply has no state here: its digest is then computed from its stored bytes.
 */
@ApplicationScoped
public class UploadHashes {

    /** How far an upload's hash has come. */
    private record Hashing(long size, MessageDigest sha256) {
    }

    private final Map<UUID, Hashing> hashing = new ConcurrentHashMap<>();
    private final Set<UUID> writing = ConcurrentHashMap.newKeySet();

    /** Starts keeping the hash of a new upload as its bytes pass. */
    public void start(UUID upload) {
        hashing.put(upload, new Hashing(0, Digest.hasher("sha256")));
    }

    /** The hash of the upload's first {@code size} bytes, when this instance saw them all pass. */
    public Optional<MessageDigest> at(UUID upload, long size) {
        Hashing kept = hashing.get(upload);
        if (size == 0 && kept == null) {
            return Optional.of(Digest.hasher("sha256"));
        }
        return kept != null && kept.size() == size ? Optional.of(kept.sha256()) : Optional.empty();
    }

    /** Records how far the hash came after a chunk; without a hash, the upload's hash is no longer known here. */
    public void advanced(UUID upload, long size, Optional<MessageDigest> sha256) {
        if (sha256.isPresent()) {
            hashing.put(upload, new Hashing(size, sha256.get()));
        } else {
            hashing.remove(upload);
        }
    }

    /** Marks the upload as being written to; false when another request on this instance writes to it already. */
    public boolean claim(UUID upload) {
        return writing.add(upload);
    }

    public void release(UUID upload) {
        writing.remove(upload);
    }

    /** Forgets the upload (finished, cancelled, or abandoned and collected). */
    public void forget(UUID upload) {
        hashing.remove(upload);
    }
}
