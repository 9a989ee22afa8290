package com.registryservice.storage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Startup;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;

/**
 * The startup probe ({@code /q/health/started}) on blob storage: with S3, down (naming the bucket and S3's reason)
 * until S3 has answered for the bucket once, then up for good. A rollout with a wrong bucket or keys stops at its
 * first instance, while an S3 outage later takes no instance, and its management API, out of the load balancer
 * (blob requests answer 503 meanwhile). Readiness does not ask S3, for the same reason.
 */
@Startup
@ApplicationScoped
public class BlobStorageCheck implements AsyncHealthCheck {

    private static final String NAME = "Blob storage";

    private final StorageConfig config;
    private final BlobStore store;
    private volatile boolean answered;

    public BlobStorageCheck(StorageConfig config, BlobStore store) {
        this.config = config;
        this.store = store;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        if (!(store instanceof S3BlobStore s3)) {
            return Uni.createFrom().item(HealthCheckResponse.named(NAME).withData("type", "directory").up().build());
        }
        var response = HealthCheckResponse.named(NAME).withData("type", "s3")
                .withData("bucket", config.s3().bucket().orElseThrow());
        if (answered) {
            return Uni.createFrom().item(response.up().build());
        }
        return s3.bucketAnswers().map(ok -> {
            answered = true;
            return response.up().build();
        }).onFailure().recoverWithItem(failure -> response.down().withData("error", String.valueOf(failure.getMessage()))
                .build());
    }
}
