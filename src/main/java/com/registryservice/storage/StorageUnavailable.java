package com.registryservice.storage;

/**
 * The blob store cannot be reached or refused to work right now (connection refused, timeouts, an object store
 * answering 5xx): answered 503 with {@code Retry-After}, never 500, and tried again later by background work.
 */
public class StorageUnavailable extends RuntimeException {

    public StorageUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
