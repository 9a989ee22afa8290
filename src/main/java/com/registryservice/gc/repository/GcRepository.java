package com.registryservice.gc.repository;

import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import com.registryservice.api.Page;
import com.registryservice.gc.GcRun;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Garbage-collection runs and the sweep of a registry's content, in plain SQL on the reactive client: claiming work
 * with {@code FOR UPDATE SKIP LOCKED}, bulk statements and batched deletes are what PostgreSQL does best, and
 * PostgreSQL is the coordinator of all instances.
 */
@ApplicationScoped
public class GcRepository {

    private final Pool pool;

    public GcRepository(Pool pool) {
        this.pool = pool;
    }

    /** A registry whose GC slot is due, locked by the claiming transaction. */
    public record DueRegistry(UUID id, short days, LocalTime time) {
    }

    /** A run this instance now works on. */
    public record ClaimedRun(UUID id, UUID registryId, boolean dryRun) {
    }

    /** What one sweep step deleted (or, in a dry run, would delete). */
    public record Swept(long manifests, long blobs, long bytes) {
    }

    public <T> Uni<T> inTransaction(Function<SqlConnection, Uni<T>> work) {
        return pool.withTransaction(work);
    }

    /** The database's clock: the one clock all instances agree on. */
    public Uni<Instant> now(SqlConnection conn) {
        return conn.query("select now() as now").execute()
                .map(rows -> rows.iterator().next().getOffsetDateTime("now").toInstant());
    }

    /** Locks up to {@code max} registries whose next slot is due; ones locked by another instance are skipped. */
    public Uni<List<DueRegistry>> lockDue(SqlConnection conn, int max) {
        return conn.preparedQuery("select id, gc_days, gc_time from registry where gc_next_run <= now()"
                + " order by gc_next_run limit $1 for update skip locked").execute(Tuple.of(max))
                .map(rows -> {
                    List<DueRegistry> due = new ArrayList<>();
                    rows.forEach(r -> due.add(new DueRegistry(r.getUUID("id"), r.getShort("gc_days"),
                            r.getLocalTime("gc_time"))));
                    return due;
                });
    }

    /**
     * Records one scheduled run per registry for its slot, and moves each registry's next slot on. A registry with a
     * run still queued or running gets a SKIPPED run instead. The unique (registry, slot) constraint makes a second
     * record of the same slot impossible, whatever happens.
     */
    public Uni<Recorded> recordScheduledRuns(SqlConnection conn, List<UUID> ids, List<Instant> slots,
            List<Instant> nextSlots) {
        UUID[] registryIds = ids.toArray(UUID[]::new);
        OffsetDateTime[] slotTimes = slots.stream().map(GcRepository::utc).toArray(OffsetDateTime[]::new);
        OffsetDateTime[] nextTimes = nextSlots.stream().map(GcRepository::utc).toArray(OffsetDateTime[]::new);
        return conn.preparedQuery("update registry r set gc_next_run = v.next"
                + " from unnest($1::uuid[], $2::timestamptz[]) as v(id, next) where r.id = v.id")
                .execute(Tuple.of(registryIds, nextTimes))
                .flatMap(ignored -> conn.preparedQuery("insert into gc_run (id, registry_id, trigger, dry_run, status,"
                        + " scheduled_for, created_date, created_by, finished_at, message)"
                        + " select gen_random_uuid(), v.id, 'SCHEDULED', false,"
                        + "   case when a.id is null then 'QUEUED' else 'SKIPPED' end, v.slot, now(), 'scheduler',"
                        + "   case when a.id is null then null else now() end,"
                        + "   case when a.id is null then null"
                        + "        else 'skipped: run ' || a.id || ' of this registry was still ' || lower(a.status) end"
                        + " from unnest($1::uuid[], $2::timestamptz[]) as v(id, slot)"
                        + " left join gc_run a on a.registry_id = v.id and a.status in ('QUEUED', 'RUNNING')"
                        + " on conflict (registry_id, scheduled_for) do nothing returning status")
                        .execute(Tuple.of(registryIds, slotTimes)))
                .map(rows -> {
                    int skipped = 0;
                    for (Row row : rows) {
                        skipped += "SKIPPED".equals(row.getString("status")) ? 1 : 0;
                    }
                    return new Recorded(rows.rowCount(), skipped);
                });
    }

    /** How many runs a claim recorded, and how many of those were SKIPPED. */
    public record Recorded(int total, int skipped) {
    }

    /** Frees the runs this instance holds, so that another instance takes them over at once. */
    public Uni<Integer> releaseLeases(String owner) {
        return pool.preparedQuery("update gc_run set lease_owner = null, lease_until = now() - interval '1 second'"
                + " where lease_owner = $1 and status = 'RUNNING'").execute(Tuple.of(owner)).map(rows -> rows.rowCount());
    }

    /**
     * Takes up to {@code max} runs to work on: queued ones, and running ones whose lease expired because their
     * instance died. Each gets this instance's lease.
     */
    public Uni<List<ClaimedRun>> claimRuns(String owner, long leaseSeconds, int max) {
        return pool.preparedQuery("update gc_run r set status = 'RUNNING', started_at = coalesce(r.started_at, now()),"
                + " lease_owner = $1, lease_until = now() + make_interval(secs => $2)"
                + " from (select id from gc_run where status = 'QUEUED' or (status = 'RUNNING' and lease_until < now())"
                + "       order by created_date limit $3 for update skip locked) c"
                + " where r.id = c.id returning r.id, r.registry_id, r.dry_run")
                .execute(Tuple.of(owner, (double) leaseSeconds, max))
                .map(rows -> {
                    List<ClaimedRun> runs = new ArrayList<>();
                    rows.forEach(r -> runs.add(new ClaimedRun(r.getUUID("id"), r.getUUID("registry_id"),
                            r.getBoolean("dry_run"))));
                    return runs;
                });
    }

    /** Renews the lease; false when this instance lost the run (its lease expired and another took it over). */
    public Uni<Boolean> renewLease(SqlConnection conn, UUID run, String owner, long leaseSeconds) {
        return conn.preparedQuery("update gc_run set lease_until = now() + make_interval(secs => $3)"
                + " where id = $1 and lease_owner = $2 and status = 'RUNNING'")
                .execute(Tuple.of(run, owner, (double) leaseSeconds)).map(rows -> rows.rowCount() == 1);
    }

    /** Deletes up to {@code batch} untagged manifests older than the grace period. */
    public Uni<Swept> sweepManifests(SqlConnection conn, UUID registry, long graceSeconds, int batch) {
        return deleteBatch(conn, "manifest", "not exists (select 1 from tag t where t.manifest_id = x.id)", registry,
                graceSeconds, batch).map(deleted -> new Swept(deleted.manifests(), 0, deleted.bytes()));
    }

    /** Deletes up to {@code batch} blobs older than the grace period that no manifest references. */
    public Uni<Swept> sweepBlobs(SqlConnection conn, UUID registry, long graceSeconds, int batch) {
        return deleteBatch(conn, "blob", "not exists (select 1 from manifest_blob mb where mb.blob_id = x.id)",
                registry, graceSeconds, batch).map(deleted -> new Swept(0, deleted.manifests(), deleted.bytes()));
    }

    /**
     * Deletes one batch of collectable rows of {@code table} (manifest or blob), skipping rows that others hold
     * (a push in flight), and answers how many went (as {@code manifests}) and their bytes.
     */
    private Uni<Swept> deleteBatch(SqlConnection conn, String table, String unreferenced, UUID registry,
            long graceSeconds, int batch) {
        return conn.preparedQuery("with victims as (select x.id from " + table + " x where x.registry_id = $1"
                + "   and x.created_date < now() - make_interval(secs => $2) and " + unreferenced
                + "   order by x.id limit $3 for update skip locked),"
                + " gone as (delete from " + table + " x using victims v where x.id = v.id returning x.size)"
                + " select count(*) as n, coalesce(sum(size), 0) as bytes from gone")
                .execute(Tuple.of(registry, (double) graceSeconds, batch))
                .map(rows -> {
                    Row r = rows.iterator().next();
                    return new Swept(r.getLong("n"), 0, r.getLong("bytes"));
                });
    }

    /** What a run would delete, counted by the database without loading or deleting anything. */
    public Uni<Swept> countCollectable(SqlConnection conn, UUID registry, long graceSeconds) {
        return conn.preparedQuery("with doomed_m as (select m.id, m.size from manifest m where m.registry_id = $1"
                + "   and m.created_date < now() - make_interval(secs => $2)"
                + "   and not exists (select 1 from tag t where t.manifest_id = m.id)),"
                + " doomed_b as (select b.size from blob b where b.registry_id = $1"
                + "   and b.created_date < now() - make_interval(secs => $2)"
                + "   and not exists (select 1 from manifest_blob mb where mb.blob_id = b.id"
                + "                   and mb.manifest_id not in (select id from doomed_m)))"
                + " select (select count(*) from doomed_m) as manifests, (select count(*) from doomed_b) as blobs,"
                + "   (select coalesce(sum(size), 0) from doomed_m) + (select coalesce(sum(size), 0) from doomed_b)"
                + "   as bytes")
                .execute(Tuple.of(registry, (double) graceSeconds))
                .map(rows -> {
                    Row r = rows.iterator().next();
                    return new Swept(r.getLong("manifests"), r.getLong("blobs"), r.getLong("bytes"));
                });
    }

    /** Adds what a batch deleted to the run's counters. */
    public Uni<Void> addToCounters(SqlConnection conn, UUID run, Swept swept) {
        return conn.preparedQuery("update gc_run set deleted_manifests = deleted_manifests + $2,"
                + " deleted_blobs = deleted_blobs + $3, freed_bytes = freed_bytes + $4 where id = $1")
                .execute(Tuple.of(run, swept.manifests(), swept.blobs(), swept.bytes())).replaceWithVoid();
    }

    /** Ends the run (if this instance still holds it) and measures the registry's storage, in its own transaction. */
    public Uni<Void> finish(UUID run, UUID registry, String owner, String status, Optional<Swept> counts,
            String message) {
        return pool.withTransaction(conn -> finish(conn, run, registry, owner, status, counts, message));
    }

    /** Ends the run (if this instance still holds it) and measures the registry's storage. */
    public Uni<Void> finish(SqlConnection conn, UUID run, UUID registry, String owner, String status,
            Optional<Swept> counts, String message) {
        return conn.preparedQuery("update gc_run set status = $3, finished_at = now(),"
                + " lease_owner = null, lease_until = null, message = $4,"
                + " deleted_manifests = coalesce($5, deleted_manifests), deleted_blobs = coalesce($6, deleted_blobs),"
                + " freed_bytes = coalesce($7, freed_bytes)"
                + " where id = $1 and lease_owner = $2 and status = 'RUNNING'")
                .execute(Tuple.from(java.util.Arrays.asList(run, owner, status, message,
                        counts.map(Swept::manifests).orElse(null), counts.map(Swept::blobs).orElse(null),
                        counts.map(Swept::bytes).orElse(null))))
                .flatMap(updated -> updated.rowCount() == 0 ? Uni.createFrom().voidItem()
                        // the version too: storage usage is part of the registry's representation (its ETag)
                        : conn.preparedQuery("update registry set version = version + 1,"
                                + " storage_updated_at = now(), storage_bytes ="
                                + " (select coalesce(sum(size), 0) from blob where registry_id = $1)"
                                + " + (select coalesce(sum(size), 0) from manifest where registry_id = $1)"
                                + " where id = $1").execute(Tuple.of(registry)).replaceWithVoid());
    }

    /**
     * Queues a manual run, unless a run of the registry is queued or running: then answers that run. The registry
     * row is locked first, so that a manual and a scheduled run cannot both be created.
     *
     * @return the new run, or the active run that prevented it (a {@code null} item when the registry is not the
     *         contract's)
     */
    public Uni<ManualOutcome> queueManual(UUID registry, String contract, boolean dryRun, String user) {
        return pool.withTransaction(conn -> conn.preparedQuery("select id from registry where id = $1 and contract = $2"
                + " for no key update").execute(Tuple.of(registry, contract))
                .flatMap(found -> {
                    if (found.rowCount() == 0) {
                        return Uni.createFrom().item((ManualOutcome) null);
                    }
                    return conn.preparedQuery("select " + GcRun.COLUMNS + " from gc_run where registry_id = $1"
                            + " and status in ('QUEUED', 'RUNNING')").execute(Tuple.of(registry))
                            .flatMap(active -> active.rowCount() > 0
                                    ? Uni.createFrom().item(new ManualOutcome(null, GcRun.of(active.iterator().next())))
                                    : conn.preparedQuery("insert into gc_run (id, registry_id, trigger, dry_run, status,"
                                            + " created_date, created_by) values (gen_random_uuid(), $1, 'MANUAL', $2,"
                                            + " 'QUEUED', now(), $3) returning " + GcRun.COLUMNS)
                                            .execute(Tuple.of(registry, dryRun, user))
                                            .map(rows -> new ManualOutcome(GcRun.of(rows.iterator().next()), null)));
                }));
    }

    /** A queued manual run, or the run that is already active. */
    public record ManualOutcome(GcRun queued, GcRun active) {
    }

    public Uni<GcRun> findRun(UUID registry, UUID run) {
        return pool.preparedQuery("select " + GcRun.COLUMNS + " from gc_run where id = $1 and registry_id = $2")
                .execute(Tuple.of(run, registry))
                .map(rows -> rows.rowCount() == 0 ? null : GcRun.of(rows.iterator().next()));
    }

    /** Up to {@code fetch} runs, newest first, strictly after (or before) the cursor; keys are "micros|id". */
    public Uni<List<GcRun>> page(UUID registry, Optional<Page.Cursor> cursor, int fetch) {
        boolean forward = cursor.map(Page.Cursor::forward).orElse(true);
        String order = forward ? " order by created_date desc, id desc" : " order by created_date asc, id asc";
        String where = " where registry_id = $1";
        Tuple params = Tuple.of(registry);
        if (cursor.isPresent()) {
            String[] key = cursor.get().key().split("\\|", 2);
            where += forward ? " and (created_date, id) < ($2, $3)" : " and (created_date, id) > ($2, $3)";
            params = Tuple.of(registry, utc(Instant.EPOCH.plus(Long.parseLong(key[0]), java.time.temporal.ChronoUnit.MICROS)),
                    UUID.fromString(key[1]));
        }
        Tuple finalParams = params.addInteger(fetch);
        return pool.preparedQuery("select " + GcRun.COLUMNS + " from gc_run" + where + order + " limit $"
                + (cursor.isPresent() ? 4 : 2)).execute(finalParams)
                .map(rows -> {
                    List<GcRun> runs = new ArrayList<>();
                    rows.forEach(r -> runs.add(GcRun.of(r)));
                    return runs;
                });
    }

    /** The paging key of a run: its creation time in microseconds and its id. */
    public static String pageKey(GcRun run) {
        long micros = java.time.temporal.ChronoUnit.MICROS.between(Instant.EPOCH, run.createdDate());
        return micros + "|" + run.id();
    }

    /** The registry's next scheduled slot, or empty; a {@code null} item when the registry is not the contract's. */
    public Uni<Optional<Instant>> nextScheduledRun(UUID registry, String contract) {
        return pool.preparedQuery("select gc_next_run from registry where id = $1 and contract = $2")
                .execute(Tuple.of(registry, contract))
                .map(rows -> rows.rowCount() == 0 ? null
                        : Optional.ofNullable(rows.iterator().next().getOffsetDateTime("gc_next_run"))
                                .map(OffsetDateTime::toInstant));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
