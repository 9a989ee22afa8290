package com.registryservice.storage;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import org.hibernate.validator.constraints.time.DurationMin;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where blob bytes are stored (prefix {@code registry.storage}); listed in the README. */
@ConfigMapping(prefix = "registry.storage")
public interface StorageConfig {

    /** Which store holds the bytes: {@code filesystem} (a directory, for one machine) or {@code s3}. */
    @WithDefault("filesystem")
    Type type();

    enum Type {
        FILESYSTEM,
        S3
    }

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
    Duration reclaimInterval();

    /** The S3 store's settings (credentials come from the AWS SDK's default provider chain). */
    S3 s3();

    interface S3 {

        /** The bucket; required when {@code registry.storage.type=s3}. It must exist. */
        Optional<String> bucket();

        /** A key prefix under which everything is stored, for a bucket shared with other data. */
        Optional<String> prefix();

        /** The endpoint of an S3-compatible service (MinIO, Ceph RGW …); AWS's own when unset. */
        Optional<URI> endpoint();

        /** The bucket's region (any value for most S3-compatible services). */
        @WithDefault("us-east-1")
        String region();

        /** Addresses the bucket in the path ({@code endpoint/bucket/key}) instead of the host name; MinIO needs it. */
        @WithDefault("false")
        boolean pathStyleAccess();

        /** The size of each part of a multipart upload (at least 5M); an upload holds one in memory while it runs. */
        @WithDefault("8M")
        MemorySize partSize();

        /** The memory all uploads together may hold in parts; an upload waits (unread) for its share. */
        @WithDefault("64M")
        MemorySize bufferMemory();

        /** Answers a blob GET with 307 to a pre-signed URL, so the bytes go from S3 to the client directly. */
        @WithDefault("false")
        boolean redirect();

        /** How long such a pre-signed URL is valid. */
        @WithDefault("10m")
        Duration redirectLifetime();

        /** How long connecting to S3 may take before a request fails (503 to the client). */
        @WithDefault("2s")
        Duration connectTimeout();

        /**
         * How long a call S3 answers at once (a read until its bytes begin, a lookup, a delete, a multipart start) may
         * wait, retries included, before the request fails with 503: a hung S3 is named before the HTTP idle timeout
         * (60 s) closes the client's connection; a call that sends a part gets this plus its bytes' time at 1 MiB/s.
         * Copies inside S3 are left to the SDK's own timeouts.
         */
        @WithDefault("10s")
        @DurationMin(millis = 1)
        Duration answerTimeout();
    }
}
