package com.registryservice.storage;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;

/** The directory store against the blob-store contract, on a temporary directory. */
class FileSystemBlobStoreTest extends BlobStoreContract {

    @Override
    protected BlobStore createStore() {
        return new FileSystemBlobStore(vertx, scratch.resolve("store"));
    }

    @Override
    protected void assertNothingLeftOf(String upload) {
        assertFalse(Files.exists(scratch.resolve("store").resolve("uploads").resolve(upload)));
    }
}
