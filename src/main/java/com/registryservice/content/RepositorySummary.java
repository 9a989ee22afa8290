package com.registryservice.content;

import java.time.Instant;

/** A repository with the counts the repositories API shows. */
public record RepositorySummary(String name, Instant createdDate, long artifactCount, long pullCount, long pushCount,
        Instant lastPulledAt, Instant lastPushedAt) {
}
