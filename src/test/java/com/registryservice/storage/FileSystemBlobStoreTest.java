package com.registryservice.storage;

import java.nio.file.Path;
import java.time.Duration;

/** The directory store against the blob-store contract, on a temporary directory. */
class FileSystemBlobStoreTest extends BlobStoreContract {

    @Override
    protected BlobStore createStore() {
        Path root = scratch.resolve("store");
        return new FileSystemBlobStore(vertx, new StorageConfig() {
            @Override
            public Path path() {
                return root;
            }

            @Override
            public Duration reclaimInterval() {
                return Duration.ofMinutes(1);
            }
        });
    }
}
