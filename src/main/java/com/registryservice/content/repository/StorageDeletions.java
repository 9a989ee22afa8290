package com.registryservice.content.repository;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The queue of bytes the blob store is to delete ({@code storage_deletion}). Rows are written in the transaction
 * that forgets the bytes' metadata, claimed for a while by the instance that deletes them, and removed once the
 * bytes are gone: whatever crashes when, nothing is lost and nothing leaks for good. While the store deletes an
 * item's bytes, the deleting connection holds an advisory lock named after the item ({@link #lockKey}); a push of
 * the same blob takes the same lock before it puts its bytes in place ({@code DistributionRepository.recordBlob}),
 * so new bytes are never deleted by a deletion that was under way.
 */
@ApplicationScoped
public class StorageDeletions {

    /** The advisory lock of an item's bytes, as SQL over two SQL expressions: a registry id and an item. */
    static String lockKey(String registry, String item) {
        return "hashtextextended(" + registry + "::text || '/' || " + item + ", 0)";
    }

    private final Pool pool;

    public StorageDeletions(Pool pool) {
        this.pool = pool;
    }

    /** What kind of bytes a queued deletion removes. */
    public enum Kind {
        /** a blob's bytes; the item is its digest */
        BLOB,
        /** an upload's temporary bytes; the item is the upload's id */
        UPLOAD,
        /** everything the registry stored; the item is the registry's id */
        REGISTRY
    }

    /** One queued deletion. */
    public record Queued(long id, Kind kind, UUID registry, String item, long size) {
    }

    /**
     * Queues the removal of all the registry's bytes, in the transaction (the Hibernate Reactive session) that
     * deletes the registry: its content rows go with it by cascade.
     */
    public Uni<Void> queueRegistry(UUID registry) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery("insert into storage_deletion"
                + " (kind, registry_id, item) values ('REGISTRY', :id, :item)")
                .setParameter("id", registry).setParameter("item", registry.toString()).executeUpdate())
                .replaceWithVoid();
    }

    /**
     * One batch of the queue: claims up to {@code batch} due rows (one statement, committed at once: each row is
     * not due again for {@code retryAfterSeconds}, so no other instance takes it meanwhile), takes their items' locks,
     * lets {@code delete} remove the bytes of those still queued (a push may have taken one back), answering for
     * each whether it did, and then removes the rows whose bytes went; a row whose removal failed is due again after
     * {@code retryAfterSeconds}, behind the rest, so that it never blocks the queue.
     *
     * <p>No transaction is open while the store works: the event feed reads only what every older transaction has
     * finished, so a transaction held across a slow store (S3 retrying, a registry of a million objects) held every
     * tenant's events (found by {@code EventsTest}). Advisory locks held by a session outside a transaction do not.
     *
     * @return the deletions done, and how many rows the batch held
     */
    public Uni<Drained> drain(int batch, long retryAfterSeconds, Function<List<Queued>, Uni<List<Boolean>>> delete) {
        return pool.preparedQuery("update storage_deletion d set not_before = now() + make_interval(secs => $2)"
                + " from (select id from storage_deletion where not_before <= now() order by not_before, id limit $1"
                + "   for update skip locked) due where d.id = due.id"
                + " returning d.id, d.kind, d.registry_id, d.item, d.size")
                .execute(Tuple.of(batch, (double) retryAfterSeconds))
                .flatMap(rows -> {
                    List<Long> ids = new ArrayList<>();
                    rows.forEach(r -> ids.add(r.getLong("id")));
                    return ids.isEmpty() ? Uni.createFrom().item(new Drained(List.of(), 0))
                            : pool.withConnection(conn -> deleteLocked(conn, ids, delete)
                                    .call(() -> conn.query("select pg_advisory_unlock_all()").execute())
                                    .onFailure().call(() -> conn.query("select pg_advisory_unlock_all()").execute()
                                            .onFailure().recoverWithNull())
                                    .flatMap(deleted -> forget(conn, deleted)
                                            .replaceWith(new Drained(deleted, ids.size()))));
                });
    }

    /** With the claimed rows' items locked, removes the bytes of those still queued; answers those removed. */
    private Uni<List<Queued>> deleteLocked(io.vertx.mutiny.sqlclient.SqlConnection conn, List<Long> ids,
            Function<List<Queued>, Uni<List<Boolean>>> delete) {
        Tuple claimed = Tuple.of(ids.toArray(Long[]::new));
        String key = lockKey("registry_id", "item");
        // in key order, so that two instances (a claim that ran out) never wait for each other in a circle; blobs
        // only: a push waits for no one else (an upload's bytes are its own, a deleted registry takes no pushes), and
        // not behind a registry's long removal in the same batch
        return conn.preparedQuery("select pg_advisory_lock(k) from (select distinct " + key + " as k"
                + " from storage_deletion where id = any($1) and kind = 'BLOB' order by k) keys").execute(claimed)
                .flatMap(locked -> conn.preparedQuery("select id, kind, registry_id, item, size from storage_deletion"
                        + " where id = any($1) order by id").execute(claimed))
                .flatMap(rows -> {
                    List<Queued> queued = new ArrayList<>();
                    rows.forEach(r -> queued.add(new Queued(r.getLong("id"), Kind.valueOf(r.getString("kind")),
                            r.getUUID("registry_id"), r.getString("item"), r.getLong("size"))));
                    if (queued.isEmpty()) {
                        return Uni.createFrom().item(List.<Queued>of());
                    }
                    return delete.apply(queued).map(outcomes -> {
                        List<Queued> deleted = new ArrayList<>();
                        for (int i = 0; i < queued.size(); i++) {
                            if (outcomes.get(i)) {
                                deleted.add(queued.get(i));
                            }
                        }
                        return deleted;
                    });
                });
    }

    /** Removes the rows of deleted bytes, on the connection that removed them (one connection per batch). */
    private static Uni<Void> forget(io.vertx.mutiny.sqlclient.SqlConnection conn, List<Queued> deleted) {
        return deleted.isEmpty() ? Uni.createFrom().voidItem()
                : conn.preparedQuery("delete from storage_deletion where id = any($1)")
                        .execute(Tuple.of(deleted.stream().map(Queued::id).toArray(Long[]::new))).replaceWithVoid();
    }

    /** What one batch removed, and how many rows it held. */
    public record Drained(List<Queued> deleted, int held) {
    }
}
