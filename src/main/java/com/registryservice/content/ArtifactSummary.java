package com.registryservice.content;

import java.time.Instant;
import java.util.List;

/** An artifact (a manifest of a repository) with its tags and counts, as the artifacts API shows it. */
public record ArtifactSummary(String repository, String digest, String mediaType, List<String> tags,
        Instant createdDate, long pushCount, long pullCount, Instant lastPushedAt, Instant lastPulledAt) {
}
