package com.registryservice.support;

import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * A test profile whose blobs are in S3: an S3Proxy started for it, a bucket {@link #BUCKET}, parts of the smallest
 * size S3 takes (so that a few MiB cross part edges).
 */
public class S3Storage implements QuarkusTestProfile {

    public static final String BUCKET = "registry-blobs";
    public static final String PREFIX = "test/";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("registry.storage.type", "s3", "registry.storage.s3.bucket", BUCKET,
                "registry.storage.s3.prefix", PREFIX, "registry.storage.s3.path-style-access", "true",
                "registry.storage.s3.part-size", "5M", "registry.storage.s3.buffer-memory", "20M",
                "registry.storage.s3.answer-timeout", "4s");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Server.class));
    }

    /** Starts S3Proxy for the profile; the SDK's default credential chain finds its keys in system properties. */
    public static class Server implements QuarkusTestResourceLifecycleManager {
        private S3ProxyServer server;

        @Override
        public Map<String, String> start() {
            server = S3ProxyServer.start(BUCKET);
            System.setProperty("aws.accessKeyId", S3ProxyServer.ACCESS_KEY);
            System.setProperty("aws.secretAccessKey", S3ProxyServer.SECRET_KEY);
            return Map.of("registry.storage.s3.endpoint", server.endpoint().toString());
        }

        @Override
        public void stop() {
            server.close();
        }
    }
}
