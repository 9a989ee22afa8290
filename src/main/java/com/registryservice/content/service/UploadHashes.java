package com.registryservice.content.service;

import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import com.registryservice.content.Digest;

/**
 * What this instance knows of the uploads it receives: the sha256 state of each one as far as its bytes have passed,
 * so that no byte is read twice to verify a digest. It is a shortcut, not state the upload depends on: an upload
 * continued on another instance has none here, and its digest is then computed from its stored bytes. (The JDK's
 * SHA-256, which runs six times faster than a portable one whose state could be saved with the upload.)
 */
@ApplicationScoped
public class UploadHashes {

    /** How far an upload's hash has come. */
    private record Hashing(long size, MessageDigest sha256) {
    }

    private final Map<UUID, Hashing> hashing = new ConcurrentHashMap<>();

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

    /** Forgets the upload (finished, cancelled, or abandoned and collected). */
    public void forget(UUID upload) {
        hashing.remove(upload);
    }
}
