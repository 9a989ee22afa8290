package com.registryservice.gc.repository;

import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;

import jakarta.enterprise.context.ApplicationScoped;

import com.registryservice.api.Page;
import com.registryservice.content.repository.ContentSweeps;
import com.registryservice.content.repository.ContentSweeps.Swept;
import com.registryservice.gc.GcRun;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Garbage-collection runs, in plain SQL on the reactive client: claiming work with {@code FOR UPDATE SKIP LOCKED},
 * bulk statements and batched deletes are what PostgreSQL does best, and PostgreSQL is the coordinator of all
 * instances. Each public method is a whole unit of work (its own transaction); the content's own statements
 * ({@link ContentSweeps}) run inside a step's transaction.
 */
@ApplicationScoped
public class GcRepository {

    private final Pool pool;
    private final ContentSweeps sweeps;

    public GcRepository(Pool pool, ContentSweeps sweeps) {
        this.pool = pool;
        this.sweeps = sweeps;
    }

    /** A registry whose GC slot is due, locked by the claiming transaction. */
    public record DueRegistry(UUID id, short days, LocalTime time) {
    }

    /** A run this instance now works on. */
    public record ClaimedRun(UUID id, UUID registryId, boolean dryRun) {
    }

    /** What the scheduler decided for a due registry: the slot its run is for, and its next slot. */
    public record Planned(UUID registryId, Instant slot, Instant next) {
    }

    /** What one claim did: how many registries were due (at most the batch), how many runs it recorded, skipped. */
    public record Claimed(int due, int recorded, int skipped) {
    }

    /**
     * One claim, in one transaction: locks up to {@code max} registries whose next slot is due (ones another
     * instance holds are skipped), asks {@code plan} for each one's slot and next slot by the database's clock,
     * records one scheduled run per registry for its slot and moves its next slot on. A registry with a run still
     * queued or running gets a SKIPPED run instead. The unique (registry, slot) constraint makes a second record
     * of the same slot impossible, whatever happens.
     */
    public Uni<Claimed> claimDue(int max, BiFunction<Instant, DueRegistry, Planned> plan) {
        return pool.withTransaction(conn -> conn.query("select now() as now").execute()
                .map(rows -> rows.iterator().next().getOffsetDateTime("now").toInstant())
                .flatMap(now -> conn.preparedQuery("select s.registry_id, r.gc_days, r.gc_time from gc_schedule s"
                        + " join registry r on r.id = s.registry_id where s.next_run <= now()"
                        + " order by s.next_run limit $1 for update of s skip locked").execute(Tuple.of(max))
                        .map(rows -> {
                            List<Planned> planned = new ArrayList<>();
                            rows.forEach(r -> planned.add(plan.apply(now, new DueRegistry(r.getUUID("registry_id"),
                                    r.getShort("gc_days"), r.getLocalTime("gc_time")))));
                            return planned;
                        }))
                .flatMap(planned -> planned.isEmpty() ? Uni.createFrom().item(new Claimed(0, 0, 0))
                        : record(conn, planned)));
    }

    private Uni<Claimed> record(SqlConnection conn, List<Planned> planned) {
        UUID[] registryIds = planned.stream().map(Planned::registryId).toArray(UUID[]::new);
        OffsetDateTime[] slotTimes = planned.stream().map(p -> utc(p.slot())).toArray(OffsetDateTime[]::new);
        OffsetDateTime[] nextTimes = planned.stream().map(p -> utc(p.next())).toArray(OffsetDateTime[]::new);
        return conn.preparedQuery("update gc_schedule s set next_run = v.next"
                + " from unnest($1::uuid[], $2::timestamptz[]) as v(id, next) where s.registry_id = v.id")
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
                    return new Claimed(planned.size(), rows.rowCount(), skipped);
                });
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

    /** What one step of a run did: whether this instance still held the run, whether the run ended, what went. */
    public record Step(boolean held, boolean done, Swept swept) {
    }

    /**
     * One step of a run, in one transaction: renew the lease, delete a batch of untagged manifests, then (once no
     * manifest is left to collect) a batch of unreferenced blobs, then of abandoned uploads, and add them to the run's
     * counters; the bytes of blobs and uploads are queued for the blob store to delete once the step commits. When
     * every batch comes up short the run ends in the same transaction, so that a registry with little to collect
     * costs one commit. A dry run counts what a run would delete and ends. Nothing happens when the lease was lost.
     */
    public Uni<Step> step(ClaimedRun run, String owner, long leaseSeconds, long graceSeconds, int batch) {
        return pool.withTransaction(conn -> conn.preparedQuery("update gc_run set lease_until = now()"
                + " + make_interval(secs => $3) where id = $1 and lease_owner = $2 and status = 'RUNNING'")
                .execute(Tuple.of(run.id(), owner, (double) leaseSeconds)).map(rows -> rows.rowCount() == 1)
                .flatMap(held -> {
                    if (!held) {
                        return Uni.createFrom().item(new Step(false, false, NOTHING));
                    }
                    if (run.dryRun()) {
                        return sweeps.countCollectable(conn, run.registryId(), graceSeconds)
                                .call(counts -> finish(conn, run, owner, "SUCCEEDED", Optional.of(counts),
                                        "dry run: nothing was deleted"))
                                .map(counts -> new Step(true, true, NOTHING));
                    }
                    return sweeps.deleteUntaggedManifests(conn, run.registryId(), graceSeconds, batch)
                            .flatMap(swept -> swept.manifests() == batch ? Uni.createFrom().item(swept)
                                    : sweeps.deleteUnreferencedBlobs(conn, run.registryId(), graceSeconds, batch)
                                            .map(swept::plus))
                            .flatMap(swept -> swept.blobs() == batch ? Uni.createFrom().item(swept)
                                    : sweeps.deleteAbandonedUploads(conn, run.registryId(), graceSeconds, batch)
                                            .map(swept::plus))
                            .call(swept -> conn.preparedQuery("update gc_run set deleted_manifests ="
                                    + " deleted_manifests + $2, deleted_blobs = deleted_blobs + $3,"
                                    + " freed_bytes = freed_bytes + $4 where id = $1")
                                    .execute(Tuple.of(run.id(), swept.manifests(), swept.blobs(), swept.bytes())))
                            .flatMap(swept -> {
                                boolean done = swept.manifests() < batch && swept.blobs() < batch
                                        && swept.uploads() < batch;
                                return (done ? finish(conn, run, owner, "SUCCEEDED", Optional.empty(), null)
                                        : Uni.createFrom().voidItem()).map(v -> new Step(true, done, swept));
                            });
                }));
    }

    private static final Swept NOTHING = new Swept(0, 0, 0, 0);

    /** Ends the run (if this instance still holds it) and measures the registry's storage, in its own transaction. */
    public Uni<Void> finish(ClaimedRun run, String owner, String status, String message) {
        return pool.withTransaction(conn -> finish(conn, run, owner, status, Optional.empty(), message));
    }

    /** Ends the run (if this instance still holds it) and records the storage the registry's content takes. */
    private Uni<Void> finish(SqlConnection conn, ClaimedRun run, String owner, String status, Optional<Swept> counts,
            String message) {
        return conn.preparedQuery("update gc_run set status = $3, finished_at = now(),"
                + " lease_owner = null, lease_until = null, message = $4,"
                + " deleted_manifests = coalesce($5, deleted_manifests), deleted_blobs = coalesce($6, deleted_blobs),"
                + " freed_bytes = coalesce($7, freed_bytes)"
                + " where id = $1 and lease_owner = $2 and status = 'RUNNING'")
                .execute(Tuple.from(java.util.Arrays.asList(run.id(), owner, status, message,
                        counts.map(Swept::manifests).orElse(null), counts.map(Swept::blobs).orElse(null),
                        counts.map(Swept::bytes).orElse(null))))
                .flatMap(updated -> updated.rowCount() == 0 ? Uni.createFrom().voidItem()
                        : sweeps.storedBytes(conn, run.registryId()).flatMap(bytes -> conn.preparedQuery(
                                "insert into storage_usage (registry_id, bytes, measured_at) values ($1, $2, now())"
                                        + " on conflict (registry_id) do update set bytes = excluded.bytes,"
                                        + " measured_at = excluded.measured_at")
                                .execute(Tuple.of(run.registryId(), bytes)).replaceWithVoid()));
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
                                    // the time the run is queued, once the lock is held: now() is when the
                                    // transaction began, maybe before the run it waited for ended
                                    : conn.preparedQuery("insert into gc_run (id, registry_id, trigger, dry_run, status,"
                                            + " created_date, created_by) values (gen_random_uuid(), $1, 'MANUAL', $2,"
                                            + " 'QUEUED', clock_timestamp(), $3) returning " + GcRun.COLUMNS)
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
        return pool.preparedQuery("select s.next_run from registry r left join gc_schedule s on s.registry_id = r.id"
                + " where r.id = $1 and r.contract = $2")
                .execute(Tuple.of(registry, contract))
                .map(rows -> rows.rowCount() == 0 ? null
                        : Optional.ofNullable(rows.iterator().next().getOffsetDateTime("next_run"))
                                .map(OffsetDateTime::toInstant));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
