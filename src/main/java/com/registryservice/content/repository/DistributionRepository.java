package com.registryservice.content.repository;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The metadata of the OCI data plane, in plain SQL on the reactive client: each public method is a whole unit of
 * work. Blobs belong to a registry (stored once, whatever the repositories that use them); manifests and tags to a
 * repository, which the first push creates.
 */
@ApplicationScoped
public class DistributionRepository {

    private final Pool pool;
    private final OneAtATime pushesOfOneBlob = new OneAtATime();

    public DistributionRepository(Pool pool) {
        this.pool = pool;
    }

    /** A registry as the data plane needs it: whose it is, where, and its allow list (stored form). */
    public record RegistryRef(UUID id, String contract, String location, String allowList) {
    }

    /** A stored manifest. */
    public record StoredManifest(String digest, String mediaType, byte[] content) {
    }

    /** A manifest that refers to another (OCI 1.1 subject), as the referrers API lists it. */
    public record Referrer(String digest, String mediaType, long size, String artifactType, JsonObject annotations) {
    }

    /**
     * What a manifest push needs of the store: the manifest, and the blobs and manifests it references, each digest
     * with the size its descriptors give it.
     */
    public record ManifestPush(UUID registry, String repository, String digest, String mediaType, byte[] content,
            String artifactType, String subject, JsonObject annotations, Map<String, Long> blobs,
            Map<String, Long> children, Optional<String> tag) {
    }

    /**
     * Why a manifest push stored nothing: the references the repository does not hold, and those it holds at another
     * size than the manifest gives them (digest → the size held). Both empty when the manifest was stored.
     */
    public record Unmatched(List<String> missing, Map<String, Long> otherSize) {

        public boolean any() {
            return !missing.isEmpty() || !otherSize.isEmpty();
        }
    }

    public Uni<RegistryRef> findRegistry(String name) {
        return pool.preparedQuery("select id, contract, location, api_subnet_allow_list from registry"
                + " where name = $1")
                .execute(Tuple.of(name))
                .map(rows -> rows.rowCount() == 0 ? null : of(rows.iterator().next()));
    }

    private static RegistryRef of(Row r) {
        return new RegistryRef(r.getUUID("id"), r.getString("contract"), r.getString("location"),
                r.getString("api_subnet_allow_list"));
    }

    public Uni<UUID> startUpload(UUID registry, String repository) {
        UUID id = UUID.randomUUID();
        return pool.preparedQuery("insert into upload (id, registry_id, repository) values ($1, $2, $3)")
                .execute(Tuple.of(id, registry, repository)).replaceWith(id);
    }

    /** The size of the upload so far, touching it (it is in use); null when there is no such upload in the repository. */
    public Uni<Long> uploadSize(UUID upload, UUID registry, String repository) {
        return pool.preparedQuery("update upload set updated_date = now() where id = $1 and registry_id = $2"
                + " and repository = $3 returning size")
                .execute(Tuple.of(upload, registry, repository))
                .map(rows -> rows.rowCount() == 0 ? null : rows.iterator().next().getLong("size"));
    }

    /** How long a claim on an upload holds when its writer neither saves nor releases it (it crashed). */
    public static final long CLAIM_SECONDS = 3600;

    /**
     * An upload as a request that claimed it finds it; {@code busy} when another request writes to it, whose claim
     * runs until {@code claimedUntil} at the latest.
     */
    public record ClaimedUpload(long size, String note, boolean busy, OffsetDateTime claimedUntil) {
    }

    /**
     * Claims the upload for one request (on any instance) until it is saved or released, touching it; a claim runs
     * out after {@link #CLAIM_SECONDS}, so one whose writer crashed does not hold the upload for good.
     *
     * @return the upload, busy when another request holds the claim; null when there is no such upload
     */
    public Uni<ClaimedUpload> claimUpload(UUID upload, UUID registry, String repository) {
        return pool.preparedQuery("with found as (select id, writing_until from upload where id = $1"
                + "   and registry_id = $2 and repository = $3 for update)"
                + " update upload u set updated_date = now(), writing_until = case when f.writing_until is null"
                + "   or f.writing_until < now() then now() + make_interval(secs => $4) else u.writing_until end"
                + " from found f where u.id = f.id"
                + " returning u.size, u.store_note, f.writing_until is not null and f.writing_until >= now() as busy,"
                + "   f.writing_until as claimed_until")
                .execute(Tuple.of(upload, registry, repository, (double) CLAIM_SECONDS))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        return null;
                    }
                    Row r = rows.iterator().next();
                    return new ClaimedUpload(r.getLong("size"), r.getString("store_note"), r.getBoolean("busy"),
                            r.getOffsetDateTime("claimed_until"));
                });
    }

    /** Records how far the upload came, and releases the claim. */
    public Uni<Boolean> saveUpload(UUID upload, long size, String note) {
        return pool.preparedQuery("update upload set size = $2, store_note = $3, writing_until = null,"
                + " updated_date = now() where id = $1")
                .execute(Tuple.of(upload, size, note)).map(rows -> rows.rowCount() == 1);
    }

    /** Releases the claim on an upload whose request failed; its saved state is unchanged. */
    public Uni<Void> releaseUpload(UUID upload) {
        return pool.preparedQuery("update upload set writing_until = null where id = $1")
                .execute(Tuple.of(upload)).replaceWithVoid();
    }

    /** Forgets the upload; false when there was none. */
    public Uni<Boolean> deleteUpload(UUID upload, UUID registry, String repository) {
        return pool.preparedQuery("delete from upload where id = $1 and registry_id = $2 and repository = $3")
                .execute(Tuple.of(upload, registry, repository)).map(rows -> rows.rowCount() > 0);
    }

    /** Where a blob {@code b} of registry $1 is held by the repository named $3. */
    private static final String HELD_HERE = "exists (select 1 from repository_blob rb join repository r"
            + " on r.id = rb.repository_id where rb.blob_id = b.id and r.registry_id = $1 and r.name = $3)";

    /**
     * The blob's size; null when the repository holds no such blob. A blob asked for is about to be used (a client that
     * finds it skips its upload and pushes a manifest that references it), so an old one is touched: garbage
     * collection's grace period starts afresh. The touch waits for a sweep that holds the row, so a blob being
     * collected right now is answered as absent, never as present and then gone. A blob touched in the last minute
     * costs one read and no write, the common case of a busy blob.
     */
    public Uni<Long> blobSize(UUID registry, String repository, String digest) {
        return pool.preparedQuery("select size, created_date < now() - interval '1 minute' as old from blob b"
                + " where registry_id = $1 and digest = $2 and " + HELD_HERE)
                .execute(Tuple.of(registry, digest, repository))
                .flatMap(rows -> {
                    if (rows.rowCount() == 0) {
                        return Uni.createFrom().nullItem();
                    }
                    Row row = rows.iterator().next();
                    if (!row.getBoolean("old")) {
                        return Uni.createFrom().item(row.getLong("size"));
                    }
                    return pool.preparedQuery("update blob set created_date = now() where registry_id = $1"
                            + " and digest = $2 returning size").execute(Tuple.of(registry, digest))
                            .map(touched -> touched.rowCount() == 0 ? null : touched.iterator().next().getLong("size"));
                });
    }

    /**
     * Puts a blob's bytes in place ({@code placeBytes}) and records it, in one transaction with the repository that
     * got it and the end of the upload. A blob known already is touched: it is in use again, so the grace period of
     * garbage collection starts afresh.
     *
     * <p>The order makes a push safe against garbage collection and the storage reclaimer, without a transaction
     * open while the store works (the event feed waits for every open transaction; an S3 copy takes seconds per
     * GiB). The bytes' lock is taken first, on the connection that then records them ({@link StorageDeletions}: a
     * reclaimer removing them right now finishes first, and one that takes the lock later re-reads its queue and
     * finds the deletion taken back); then the bytes are put in place; then, in one transaction, the blob's row is
     * written (waiting for a sweep that holds it) and a deletion of the same bytes still queued is taken back; then
     * the lock is given back. Bytes in place with a recorded blob are never deleted after that.
     */
    public Uni<Void> recordBlob(UUID registry, String repository, String digest, long size, UUID upload,
            Uni<Void> placeBytes) {
        String key = StorageDeletions.lockKey("$1::uuid", "$2::text");
        Tuple item = Tuple.of(registry, digest);
        // pushes of the same bytes on this instance wait in memory, not each on a connection inside PostgreSQL
        return pushesOfOneBlob.run(blobName(registry, digest), () -> pool.withConnection(conn -> conn
                .preparedQuery("select pg_advisory_lock(" + key + ")").execute(item)
                .flatMap(locked -> placeBytes)
                .flatMap(placed -> conn.begin().flatMap(tx -> record(conn, registry, repository, digest, size, upload)
                        .call(tx::commit)
                        .onFailure().call(() -> tx.rollback().onFailure().recoverWithNull())))
                .eventually(() -> conn.preparedQuery("select pg_advisory_unlock(" + key + ")").execute(item)
                        .onFailure().recoverWithNull())));
    }

    /** Pushes of a blob's bytes that wait on this instance for another push of the same bytes to be recorded. */
    public int pushesWaiting(UUID registry, String digest) {
        return pushesOfOneBlob.waiting(blobName(registry, digest));
    }

    private static String blobName(UUID registry, String digest) {
        return registry + "/" + digest;
    }

    private Uni<Void> record(SqlConnection conn, UUID registry, String repository, String digest, long size,
            UUID upload) {
        return repository(conn, registry, repository)
                .flatMap(repo -> conn.preparedQuery("insert into blob (registry_id, digest, size) values ($1, $2, $3)"
                        + " on conflict (registry_id, digest) do update set created_date = now() returning id")
                        .execute(Tuple.of(registry, digest, size))
                        .flatMap(blob -> hold(conn, repo, blob.iterator().next().getLong("id"))))
                .flatMap(v -> conn.preparedQuery("delete from storage_deletion where registry_id = $1 and item = $2"
                        + " and kind = 'BLOB'").execute(Tuple.of(registry, digest)))
                // the upload's own bytes go once this commits (queued here, so a rollback keeps them)
                .flatMap(v -> conn.preparedQuery("with gone as (delete from upload where id = $1 returning id)"
                        + " insert into storage_deletion (kind, registry_id, item, size)"
                        + " select 'UPLOAD', $2, id::text, 0 from gone")
                        .execute(Tuple.of(upload, registry)).replaceWithVoid());
    }

    /**
     * Mounts a blob that repository {@code from} holds into {@code repository}, touching it (its grace period starts
     * afresh, after a sweep that holds it); false when {@code from} does not hold it. The row is touched, never
     * written again: a sweep may have just taken the blob and the reclaimer removed its bytes, and a row written again
     * would name bytes that are gone. A row that is there has no removal of its bytes under way (a push that
     * re-recorded it took that back under the bytes' lock).
     */
    public Uni<Boolean> mountBlob(UUID registry, String repository, String digest, String from) {
        return pool.withTransaction(conn -> conn.preparedQuery("update blob b set created_date = now()"
                + " where registry_id = $1 and digest = $2 and " + HELD_HERE + " returning id")
                .execute(Tuple.of(registry, digest, from))
                .flatMap(touched -> touched.rowCount() == 0 ? Uni.createFrom().item(false)
                        : repository(conn, registry, repository)
                                .flatMap(repo -> hold(conn, repo, touched.iterator().next().getLong("id")))
                                .replaceWith(true)));
    }

    /** Makes the blob one the repository holds. */
    private static Uni<Void> hold(SqlConnection conn, long repository, long blob) {
        return conn.preparedQuery("insert into repository_blob (repository_id, blob_id) values ($1, $2)"
                + " on conflict do nothing").execute(Tuple.of(repository, blob)).replaceWithVoid();
    }

    /** The repository's id, created on the first push. */
    private static Uni<Long> repository(SqlConnection conn, UUID registry, String name) {
        return conn.preparedQuery("insert into repository (registry_id, name) values ($1, $2)"
                + " on conflict (registry_id, name) do update set name = excluded.name returning id")
                .execute(Tuple.of(registry, name)).map(rows -> rows.iterator().next().getLong("id"));
    }

    /**
     * Takes the blob from the repository unless a manifest of the repository uses it: answers whether the repository
     * held it, and whether it is in use there. Once no repository holds it and no manifest uses it, the blob goes and
     * its bytes are queued for deletion; other repositories that hold it keep it.
     */
    public Uni<BlobDeletion> deleteBlob(UUID registry, String repository, String digest) {
        return pool.withTransaction(conn -> conn.preparedQuery("select b.id, r.id as repository_id from blob b"
                + " join repository_blob rb on rb.blob_id = b.id join repository r on r.id = rb.repository_id"
                + " where b.registry_id = $1 and b.digest = $2 and r.name = $3 for update of b")
                .execute(Tuple.of(registry, digest, repository))
                .flatMap(rows -> {
                    if (rows.rowCount() == 0) {
                        return Uni.createFrom().item(BlobDeletion.UNKNOWN);
                    }
                    Row held = rows.iterator().next();
                    return unlink(conn, held.getLong("repository_id"), held.getLong("id"));
                }));
    }

    /**
     * Takes the blob from the repository, its row locked: asked once the lock is held, as a manifest push or a
     * delete that held it first has committed by then, and what it did is visible to this statement only.
     */
    private static Uni<BlobDeletion> unlink(SqlConnection conn, long repository, long blob) {
        Tuple link = Tuple.of(repository, blob);
        return conn.preparedQuery("select exists (select 1 from repository_blob where repository_id = $1"
                + " and blob_id = $2) as held, exists (select 1 from manifest_blob mb join manifest m"
                + " on m.id = mb.manifest_id where mb.blob_id = $2 and m.repository_id = $1) as used")
                .execute(link).map(rows -> rows.iterator().next())
                .flatMap(now -> {
                    if (!now.getBoolean("held")) {
                        return Uni.createFrom().item(BlobDeletion.UNKNOWN);
                    }
                    if (now.getBoolean("used")) {
                        return Uni.createFrom().item(BlobDeletion.IN_USE);
                    }
                    return conn.preparedQuery("delete from repository_blob where repository_id = $1 and blob_id = $2")
                            .execute(link)
                            .flatMap(v -> conn.preparedQuery("with gone as (delete from blob b where id = $1"
                                    + " and not exists (select 1 from repository_blob rb where rb.blob_id = b.id)"
                                    + " and not exists (select 1 from manifest_blob mb where mb.blob_id = b.id)"
                                    + " returning registry_id, digest, size) insert into storage_deletion (kind,"
                                    + " registry_id, item, size) select 'BLOB', registry_id, digest, size from gone")
                                    .execute(Tuple.of(blob)))
                            .replaceWith(BlobDeletion.DELETED);
                });
    }

    /** What a blob delete did. */
    public enum BlobDeletion {
        DELETED, UNKNOWN, IN_USE
    }

    /**
     * Stores a manifest, its references and its tag, in one transaction; the blobs and listed manifests it
     * references are locked against garbage collection until it commits.
     *
     * @return the digests it references that the repository does not hold (nothing is stored then)
     */
    /** Stores the manifest when the repository holds everything it references at the sizes it gives them. */
    public Uni<Unmatched> putManifest(ManifestPush push) {
        return pool.withTransaction(conn -> repository(conn, push.registry(), push.repository())
                .flatMap(repo -> conn.preparedQuery("select b.id, b.digest, b.size from blob b join repository_blob rb"
                        + " on rb.blob_id = b.id and rb.repository_id = $3 where b.registry_id = $1"
                        // the link too: a delete of it from this repository waits for this push, or this push
                        // for the delete, and then finds the link gone (the blob's row alone would not tell)
                        + " and b.digest = any($2) for key share of b, rb")
                        .execute(Tuple.of(push.registry(), push.blobs().keySet().toArray(String[]::new), repo))
                        .flatMap(blobs -> conn.preparedQuery("select id, digest, size from manifest"
                                + " where repository_id = $1 and digest = any($2) for key share")
                                .execute(Tuple.of(repo, push.children().keySet().toArray(String[]::new)))
                                .flatMap(children -> {
                                    Unmatched unmatched = new Unmatched(new ArrayList<>(), new LinkedHashMap<>());
                                    unmatched(push.blobs(), blobs, unmatched);
                                    unmatched(push.children(), children, unmatched);
                                    if (unmatched.any()) {
                                        return Uni.createFrom().item(unmatched);
                                    }
                                    return store(conn, repo, push, ids(blobs), ids(children)).replaceWith(unmatched);
                                }))));
    }

    private static void unmatched(Map<String, Long> wanted, io.vertx.mutiny.sqlclient.RowSet<Row> found,
            Unmatched into) {
        Map<String, Long> missing = new LinkedHashMap<>(wanted);
        found.forEach(row -> {
            String digest = row.getString("digest");
            long size = row.getLong("size");
            Long declared = missing.remove(digest);
            if (declared != null && declared != size) {
                into.otherSize().put(digest, size);
            }
        });
        into.missing().addAll(missing.keySet());
    }

    private static Long[] ids(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        List<Long> ids = new ArrayList<>();
        rows.forEach(row -> ids.add(row.getLong("id")));
        return ids.stream().distinct().toArray(Long[]::new);
    }

    private static Uni<Void> store(SqlConnection conn, long repo, ManifestPush push, Long[] blobs, Long[] children) {
        return conn.preparedQuery("insert into manifest (registry_id, repository_id, digest, media_type, size, content,"
                + " artifact_type, subject, annotations, push_count, last_pushed_at)"
                + " values ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, now())"
                + " on conflict (repository_id, digest) do update set push_count = manifest.push_count + 1,"
                + " last_pushed_at = now(), created_date = now() returning id")
                .execute(Tuple.from(java.util.Arrays.asList(push.registry(), repo, push.digest(), push.mediaType(),
                        (long) push.content().length, io.vertx.core.buffer.Buffer.buffer(push.content()),
                        push.artifactType(), push.subject(), push.annotations())))
                .map(rows -> rows.iterator().next().getLong("id"))
                .flatMap(manifest -> conn.preparedQuery("insert into manifest_blob (manifest_id, blob_id)"
                        + " select $1, unnest($2::bigint[]) on conflict do nothing").execute(Tuple.of(manifest, blobs))
                        .flatMap(v -> conn.preparedQuery("insert into manifest_child (manifest_id, child_id)"
                                + " select $1, unnest($2::bigint[]) on conflict do nothing")
                                .execute(Tuple.of(manifest, children)))
                        .flatMap(v -> push.tag().isEmpty() ? Uni.createFrom().voidItem()
                                : conn.preparedQuery("insert into tag (repository_id, name, manifest_id)"
                                        + " values ($1, $2, $3) on conflict (repository_id, name)"
                                        + " do update set manifest_id = excluded.manifest_id")
                                        .execute(Tuple.of(repo, push.tag().get(), manifest)).replaceWithVoid()))
                .flatMap(v -> conn.preparedQuery("update repository set push_count = push_count + 1,"
                        + " last_pushed_at = now() where id = $1").execute(Tuple.of(repo)).replaceWithVoid());
    }

    /** Whether the registry has the repository. */
    public Uni<Boolean> repositoryExists(UUID registry, String repository) {
        return pool.preparedQuery("select 1 from repository where registry_id = $1 and name = $2")
                .execute(Tuple.of(registry, repository)).map(rows -> rows.rowCount() > 0);
    }

    /** The manifest by tag or digest; null when there is none. */
    public Uni<StoredManifest> findManifest(UUID registry, String repository, String reference, boolean byDigest) {
        String where = byDigest ? " where r.registry_id = $1 and r.name = $2 and m.digest = $3"
                : " join tag t on t.manifest_id = m.id where r.registry_id = $1 and r.name = $2 and t.name = $3";
        return pool.preparedQuery("select m.digest, m.media_type, m.content from manifest m"
                + " join repository r on r.id = m.repository_id" + where)
                .execute(Tuple.of(registry, repository, reference))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        return null;
                    }
                    Row r = rows.iterator().next();
                    return new StoredManifest(r.getString("digest"), r.getString("media_type"),
                            r.getBuffer("content").getBytes());
                });
    }

    /** A number of pulls of one manifest, the last at {@code last}. */
    public record Pulls(UUID registry, String repository, String digest, long count, Instant last) {
    }

    /** Adds pulls to their manifests and repositories, all in one statement. */
    public Uni<Void> countPulls(List<Pulls> pulls) {
        if (pulls.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return pool.preparedQuery("with v as (select * from unnest($1::uuid[], $2::text[], $3::text[], $4::bigint[],"
                + " $5::timestamptz[]) as v(registry_id, name, digest, n, at)),"
                + " r as (update repository r set pull_count = r.pull_count + t.n,"
                + "   last_pulled_at = greatest(r.last_pulled_at, t.at)"
                + "   from (select registry_id, name, sum(n) as n, max(at) as at from v group by registry_id, name) t"
                + "   where r.registry_id = t.registry_id and r.name = t.name returning r.id, r.registry_id, r.name)"
                + " update manifest m set pull_count = m.pull_count + v.n,"
                + "   last_pulled_at = greatest(m.last_pulled_at, v.at)"
                + " from r join v on v.registry_id = r.registry_id and v.name = r.name"
                + " where m.repository_id = r.id and m.digest = v.digest")
                .execute(Tuple.of(pulls.stream().map(Pulls::registry).toArray(UUID[]::new),
                        pulls.stream().map(Pulls::repository).toArray(String[]::new),
                        pulls.stream().map(Pulls::digest).toArray(String[]::new),
                        pulls.stream().map(Pulls::count).toArray(Long[]::new),
                        pulls.stream().map(p -> p.last().atOffset(java.time.ZoneOffset.UTC))
                                .toArray(OffsetDateTime[]::new)))
                .replaceWithVoid();
    }

    /** What a manifest delete did. */
    public enum ManifestDeletion {
        DELETED, UNKNOWN, LISTED_BY_INDEX
    }

    /** Deletes the manifest with its tags; not while an index that is kept lists it. */
    public Uni<ManifestDeletion> deleteManifest(UUID registry, String repository, String digest) {
        return pool.withTransaction(conn -> conn.preparedQuery("select m.id, exists (select 1 from manifest_child c"
                + " where c.child_id = m.id) as listed from manifest m join repository r on r.id = m.repository_id"
                + " where r.registry_id = $1 and r.name = $2 and m.digest = $3 for update of m")
                .execute(Tuple.of(registry, repository, digest))
                .flatMap(rows -> {
                    if (rows.rowCount() == 0) {
                        return Uni.createFrom().item(ManifestDeletion.UNKNOWN);
                    }
                    Row row = rows.iterator().next();
                    if (row.getBoolean("listed")) {
                        return Uni.createFrom().item(ManifestDeletion.LISTED_BY_INDEX);
                    }
                    return conn.preparedQuery("delete from manifest where id = $1").execute(Tuple.of(row.getLong("id")))
                            .replaceWith(ManifestDeletion.DELETED);
                }));
    }

    /** Removes a tag (not the manifest); false when there was no such tag. */
    public Uni<Boolean> deleteTag(UUID registry, String repository, String tag) {
        return pool.preparedQuery("delete from tag t using repository r where t.repository_id = r.id"
                + " and r.registry_id = $1 and r.name = $2 and t.name = $3")
                .execute(Tuple.of(registry, repository, tag)).map(rows -> rows.rowCount() > 0);
    }

    /** Up to {@code limit} tags of the repository after {@code last}, in byte order. */
    public Uni<List<String>> tags(UUID registry, String repository, Optional<String> last, int limit) {
        return pool.preparedQuery("select t.name from tag t join repository r on r.id = t.repository_id"
                + " where r.registry_id = $1 and r.name = $2 and ($3::text is null or t.name collate \"C\" > $3)"
                + " order by t.name collate \"C\" limit $4")
                .execute(Tuple.of(registry, repository, last.orElse(null), limit))
                .map(rows -> {
                    List<String> tags = new ArrayList<>();
                    rows.forEach(row -> tags.add(row.getString("name")));
                    return tags;
                });
    }

    /** The manifests of the repository whose subject is {@code digest}, optionally of one artifact type. */
    public Uni<List<Referrer>> referrers(UUID registry, String repository, String digest,
            Optional<String> artifactType) {
        return pool.preparedQuery("select m.digest, m.media_type, m.size, m.artifact_type, m.annotations"
                + " from manifest m join repository r on r.id = m.repository_id"
                + " where r.registry_id = $1 and r.name = $2 and m.subject = $3"
                + " and ($4::text is null or m.artifact_type = $4) order by m.id")
                .execute(Tuple.of(registry, repository, digest, artifactType.orElse(null)))
                .map(rows -> {
                    List<Referrer> list = new ArrayList<>();
                    rows.forEach(r -> list.add(new Referrer(r.getString("digest"), r.getString("media_type"),
                            r.getLong("size"), r.getString("artifact_type"), (JsonObject) r.getValue("annotations"))));
                    return list;
                });
    }

}
