package com.registryservice.gc.rest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.registryservice.api.Links;
import com.registryservice.api.Pagination;

/** The wire format of the garbage-collection runs API. */
public final class GcModels {

    private GcModels() {
    }

    @Schema(name = "GarbageCollectionInput")
    public record RunInput(@Schema(description = "Count what would be freed, delete nothing. Default false.") Boolean dryRun) {
    }

    @Schema(name = "GarbageCollectionMetadata")
    public record Metadata(Instant createdDate, String createdBy) {
    }

    @Schema(name = "GarbageCollectionProperties")
    public record Properties(
            @Schema(enumeration = { "SCHEDULED", "MANUAL" }) String trigger,
            boolean dryRun,
            @Schema(enumeration = { "QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "SKIPPED" }) String status,
            @Schema(description = "The schedule slot (UTC) a scheduled run stands for") Instant scheduledFor,
            Instant startedAt, Instant finishedAt,
            @Schema(type = SchemaType.INTEGER, format = "int64") long deletedManifests,
            @Schema(type = SchemaType.INTEGER, format = "int64") long deletedBlobs,
            @Schema(type = SchemaType.INTEGER, format = "int64") long freedBytes,
            String message) {
    }

    @Schema(name = "GarbageCollectionResponse")
    public record RunResponse(UUID id, @Schema(examples = "garbageCollection") String type, String href,
            Metadata metadata, Properties properties) {
    }

    @Schema(name = "GarbageCollectionsResponse")
    public record RunsResponse(@Schema(examples = "garbage-collections") String id,
            @Schema(examples = "collection") String type, String href, List<RunResponse> items,
            Pagination pagination, @JsonProperty("_links") Links links,
            @JsonInclude(JsonInclude.Include.ALWAYS)
            @Schema(description = "The next scheduled run (UTC), or null", nullable = true) Instant nextScheduledRun) {
    }
}
