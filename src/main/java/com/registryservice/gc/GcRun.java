package com.registryservice.gc;

import java.time.Instant;
import java.util.UUID;

import io.vertx.mutiny.sqlclient.Row;

/** A garbage-collection run of one registry, as stored. */
public record GcRun(UUID id, UUID registryId, String trigger, boolean dryRun, String status, Instant scheduledFor,
        Instant createdDate, String createdBy, Instant startedAt, Instant finishedAt, long deletedManifests,
        long deletedBlobs, long freedBytes, String message) {

    public static final String COLUMNS = "id, registry_id, trigger, dry_run, status, scheduled_for, created_date,"
            + " created_by, started_at, finished_at, deleted_manifests, deleted_blobs, freed_bytes, message";

    public static GcRun of(Row row) {
        return new GcRun(row.getUUID("id"), row.getUUID("registry_id"), row.getString("trigger"),
                row.getBoolean("dry_run"), row.getString("status"), instant(row, "scheduled_for"),
                instant(row, "created_date"), row.getString("created_by"), instant(row, "started_at"),
                instant(row, "finished_at"), row.getLong("deleted_manifests"), row.getLong("deleted_blobs"),
                row.getLong("freed_bytes"), row.getString("message"));
    }

    static Instant instant(Row row, String column) {
        var value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }
}
