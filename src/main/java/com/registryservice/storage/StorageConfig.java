package com.registryservice.storage;

import java.nio.file.Path;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where blob bytes are stored (prefix {@code registry.storage}); listed in the README. */
@ConfigMapping(prefix = "registry.storage")
public interface StorageConfig {

    /**
     * The directory of the filesystem store, relative to the working directory: {@code blobs/} holds the blobs,
     * {@code uploads/} the uploads in progress. Keep it out of the embedded PostgreSQL's data directory.
     */
    @WithDefault("storage")
    Path path();

    /**
     * How often each instance removes bytes still queued for deletion (a blob or registry delete, and each GC step,
     * remove theirs at once; this finishes what a crash left behind).
     */
    @WithDefault("1m")
    java.time.Duration reclaimInterval();
}
