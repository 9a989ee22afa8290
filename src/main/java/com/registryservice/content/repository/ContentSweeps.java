package com.registryservice.content.repository;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The statements that collect a registry's garbage, on the content tables this feature owns. They run inside a
 * transaction of garbage collection's (which renews its lease and counts in the same one), so they take its
 * connection; nothing younger than the grace period and nothing another transaction holds (a push in flight) is
 * touched.
 */
@ApplicationScoped
public class ContentSweeps {

    /** What one statement deleted (or, when counting, would delete): rows, and the bytes they held. */
    public record Swept(long manifests, long blobs, long uploads, long bytes) {
        public Swept plus(Swept other) {
            return new Swept(manifests + other.manifests, blobs + other.blobs, uploads + other.uploads,
                    bytes + other.bytes);
        }
    }

    /**
     * What makes a manifest collectable: no tag, no index that lists it, and no subject it refers to that is still
     * there (a signature or SBOM lives as long as its image).
     */
    private static final String UNREFERENCED_MANIFEST = "not exists (select 1 from tag t where t.manifest_id = x.id)"
            + " and not exists (select 1 from manifest_child c where c.child_id = x.id)"
            + " and (x.subject is null or not exists (select 1 from manifest s where s.repository_id = x.repository_id"
            + " and s.digest = x.subject))";

    /**
     * Deletes up to {@code batch} unreferenced manifests older than the grace period (their bytes are rows), pass after
     * pass while a pass finds any: deleting an index frees the manifests it listed, deleting an image its signatures,
     * so a run frees a whole chain, not one link of it per run. Fewer than {@code batch} means none is left.
     */
    public Uni<Swept> deleteUntaggedManifests(SqlConnection conn, UUID registry, long graceSeconds, int batch) {
        return deleteBatch(conn, "manifest", "created_date", UNREFERENCED_MANIFEST, "", registry, graceSeconds, batch)
                .map(deleted -> new Swept(deleted[0], 0, 0, deleted[1]))
                .flatMap(swept -> swept.manifests() == 0 || swept.manifests() == batch ? Uni.createFrom().item(swept)
                        : deleteUntaggedManifests(conn, registry, graceSeconds, batch - (int) swept.manifests())
                                .map(swept::plus));
    }

    /**
     * Deletes up to {@code batch} blobs older than the grace period that no manifest references, and queues their
     * bytes for deletion (see {@link StorageDeletions}) in the same transaction.
     */
    public Uni<Swept> deleteUnreferencedBlobs(SqlConnection conn, UUID registry, long graceSeconds, int batch) {
        return deleteBatch(conn, "blob", "created_date", "not exists (select 1 from manifest_blob mb where mb.blob_id = x.id)",
                ", x.digest as item", registry, graceSeconds, batch).map(deleted -> new Swept(0, deleted[0], 0, deleted[1]));
    }

    /**
     * Deletes up to {@code batch} uploads nobody has sent a byte to for longer than the grace period, and queues their
     * temporary bytes for deletion.
     */
    public Uni<Swept> deleteAbandonedUploads(SqlConnection conn, UUID registry, long graceSeconds, int batch) {
        return deleteBatch(conn, "upload", "updated_date",
                "(x.writing_until is null or x.writing_until < now())", ", x.id::text as item", registry, graceSeconds, batch)
                .map(deleted -> new Swept(0, 0, deleted[0], deleted[1]));
    }

    /**
     * Deletes one batch of collectable rows of {@code table}; answers how many went and their bytes. With an
     * {@code item} column, their bytes in the blob store are queued for deletion under the table's kind.
     */
    private Uni<long[]> deleteBatch(SqlConnection conn, String table, String age, String collectable, String item,
            UUID registry, long graceSeconds, int batch) {
        String queue = item.isEmpty() ? ""
                : ", queued as (insert into storage_deletion (kind, registry_id, item, size)"
                        + " select '" + table.toUpperCase(java.util.Locale.ROOT) + "', $1, item, size from gone)";
        return conn.preparedQuery("with victims as (select x.id from " + table + " x where x.registry_id = $1"
                + "   and x." + age + " < now() - make_interval(secs => $2) and " + collectable
                + "   order by x.id limit $3 for update skip locked),"
                + " gone as (delete from " + table + " x using victims v where x.id = v.id returning x.size" + item + ")"
                + queue
                + " select count(*) as n, coalesce(sum(size), 0) as bytes from gone")
                .execute(Tuple.of(registry, (double) graceSeconds, batch))
                .map(rows -> {
                    Row r = rows.iterator().next();
                    return new long[] { r.getLong("n"), r.getLong("bytes") };
                });
    }

    /**
     * What a run would delete, counted by the database without loading or deleting anything. The manifests a run's
     * passes would delete are those that nothing kept reaches: kept are the tagged and the young ones, the manifests
     * a kept index lists and the referrers of a kept manifest.
     */
    public Uni<Swept> countCollectable(SqlConnection conn, UUID registry, long graceSeconds) {
        return conn.preparedQuery("with recursive keeps (from_id, to_id) as ("
                + "   select c.manifest_id, c.child_id from manifest_child c join manifest p on p.id = c.manifest_id"
                + "   where p.registry_id = $1"
                + "   union all select s.id, r.id from manifest r join manifest s on s.repository_id = r.repository_id"
                + "   and s.digest = r.subject where r.registry_id = $1 and r.subject is not null),"
                + " kept (id) as (select m.id from manifest m where m.registry_id = $1"
                + "   and (m.created_date >= now() - make_interval(secs => $2)"
                + "     or exists (select 1 from tag t where t.manifest_id = m.id))"
                + "   union select k.to_id from keeps k join kept on kept.id = k.from_id),"
                + " doomed_m as (select x.id, x.size from manifest x where x.registry_id = $1"
                + "   and x.id not in (select id from kept)),"
                + " doomed_b as (select b.size from blob b where b.registry_id = $1"
                + "   and b.created_date < now() - make_interval(secs => $2)"
                + "   and not exists (select 1 from manifest_blob mb where mb.blob_id = b.id"
                + "                   and mb.manifest_id not in (select id from doomed_m))),"
                + " doomed_u as (select u.size from upload u where u.registry_id = $1"
                + "   and u.updated_date < now() - make_interval(secs => $2))"
                + " select (select count(*) from doomed_m) as manifests, (select count(*) from doomed_b) as blobs,"
                + "   (select count(*) from doomed_u) as uploads, (select coalesce(sum(size), 0) from doomed_m)"
                + "   + (select coalesce(sum(size), 0) from doomed_b) + (select coalesce(sum(size), 0) from doomed_u)"
                + "   as bytes")
                .execute(Tuple.of(registry, (double) graceSeconds))
                .map(rows -> {
                    Row r = rows.iterator().next();
                    return new Swept(r.getLong("manifests"), r.getLong("blobs"), r.getLong("uploads"), r.getLong("bytes"));
                });
    }

    /** The bytes the registry's content takes: each blob once, and the manifests. */
    public Uni<Long> storedBytes(SqlConnection conn, UUID registry) {
        return conn.preparedQuery("select (select coalesce(sum(size), 0) from blob where registry_id = $1)"
                + " + (select coalesce(sum(size), 0) from manifest where registry_id = $1) as bytes")
                .execute(Tuple.of(registry)).map(rows -> rows.iterator().next().getLong("bytes"));
    }
}
