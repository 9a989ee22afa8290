package com.registryservice.support;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * What the running service's blob store holds, looked at behind its back: files under the test directory store, or
 * objects in the S3 bucket of the {@link S3Storage} profile.
 */
final class StoredBytes {

    private StoredBytes() {
    }

    /** Whether anything is stored under the path (a file, a directory, or objects under the key prefix). */
    static boolean holds(String path) {
        Config config = ConfigProvider.getConfig();
        if ("s3".equals(config.getOptionalValue("registry.storage.type", String.class).orElse("filesystem"))) {
            URI endpoint = config.getValue("registry.storage.s3.endpoint", URI.class);
            String prefix = config.getOptionalValue("registry.storage.s3.prefix", String.class).orElse("");
            return !S3ProxyServer.objects(endpoint, config.getValue("registry.storage.s3.bucket", String.class),
                    prefix + path).isEmpty();
        }
        return Files.exists(Path.of(config.getValue("registry.storage.path", String.class)).resolve(path));
    }
}
