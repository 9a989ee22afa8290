package com.registryservice.storage;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Makes the one blob store of this instance, as {@code registry.storage.type} says. */
@ApplicationScoped
public class BlobStores {

    private S3AsyncClient client;
    private S3Presigner presigner;

    /**
     * Checks the settings at start, so that a mistake stops the service with a message rather than failing its
     * first push; and says whether the bucket answers (S3 down at start is not fatal: requests answer 503 until
     * it is back).
     */
    void check(@Observes StartupEvent event, StorageConfig config, BlobStore store) {
        if (store instanceof S3BlobStore s3) {
            String bucket = config.s3().bucket().orElseThrow();
            s3.bucketAnswers().subscribe().with(ok -> {
            }, failure -> Log.errorf("The S3 bucket %s does not answer (%s): blob requests answer 503 until it does",
                    bucket, failure.getMessage()));
        }
    }

    private static String bucket(StorageConfig.S3 s3) {
        String bucket = s3.bucket().filter(b -> !b.isBlank()).orElseThrow(() -> new IllegalStateException(
                "registry.storage.type=s3 needs registry.storage.s3.bucket (REGISTRY_STORAGE_S3_BUCKET)"));
        if (s3.partSize().asLongValue() < S3BlobStore.MIN_PART_SIZE) {
            throw new IllegalStateException("registry.storage.s3.part-size (REGISTRY_STORAGE_S3_PART_SIZE) must be at"
                    + " least 5M, S3's smallest part; it is " + s3.partSize().asLongValue() + " bytes");
        }
        return bucket;
    }

    /** A singleton (no client proxy): injecting it, as {@link #check} does, makes it at start. */
    @Produces
    @Singleton
    BlobStore blobStore(Vertx vertx, StorageConfig config) {
        if (config.type() == StorageConfig.Type.FILESYSTEM) {
            return new FileSystemBlobStore(vertx, config.path());
        }
        StorageConfig.S3 s3 = config.s3();
        String bucket = bucket(s3);
        client = client(s3);
        presigner = s3.redirect() ? presigner(s3) : null;
        Log.infof("Blobs are stored in S3 bucket %s%s%s", bucket, s3.prefix().map(p -> " under " + p).orElse(""),
                s3.endpoint().map(e -> " at " + e).orElse(""));
        return new S3BlobStore(vertx, client, Optional.ofNullable(presigner), s3.redirectLifetime(), bucket, s3.prefix().orElse(""),
                (int) s3.partSize().asLongValue(), s3.bufferMemory().asLongValue(), s3.answerTimeout());
    }

    /**
     * The asynchronous client on Netty; checksums only where S3 requires them, as many S3-compatible services do
     * not take the SDK's newer default ones.
     */
    static S3AsyncClient client(StorageConfig.S3 s3) {
        var builder = S3AsyncClient.builder()
                .region(Region.of(s3.region()))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().connectionTimeout(s3.connectTimeout())
                        .maxConcurrency(256))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(s3.pathStyleAccess()).build())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        s3.endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private static S3Presigner presigner(StorageConfig.S3 s3) {
        var builder = S3Presigner.builder().region(Region.of(s3.region()))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(s3.pathStyleAccess()).build());
        s3.endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    void close(@Disposes BlobStore store) {
        if (client != null) {
            client.close();
        }
        if (presigner != null) {
            presigner.close();
        }
    }
}
