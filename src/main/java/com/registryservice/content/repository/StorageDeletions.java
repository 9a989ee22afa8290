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
 * that forgets the bytes' metadata, and removed in the transaction that holds them locked while the store deletes
 * the bytes: whatever crashes when, nothing is lost and nothing leaks for good.
 */
@ApplicationScoped
public class StorageDeletions {

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
    public record Queued(Kind kind, UUID registry, String item, long size) {
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
     * One batch of the queue, in one transaction: locks up to {@code batch} due rows (rows another instance works on
     * are skipped), lets {@code delete} remove their bytes (answering, for each, whether it did), then removes the rows whose
     * bytes went; a row whose removal failed is retried after {@code retryAfterSeconds}, behind the rest, so that it never blocks the queue.
     *
     * @return the deletions done, and how many rows the batch held
     */
    public Uni<Drained> drain(int batch, long retryAfterSeconds, Function<List<Queued>, Uni<List<Boolean>>> delete) {
        return pool.withTransaction(conn -> conn.preparedQuery("select id, kind, registry_id, item, size"
                + " from storage_deletion where not_before <= now() order by not_before, id limit $1"
                + " for update skip locked").execute(Tuple.of(batch))
                .flatMap(rows -> {
                    List<Long> ids = new ArrayList<>();
                    List<Queued> queued = new ArrayList<>();
                    rows.forEach(r -> {
                        ids.add(r.getLong("id"));
                        queued.add(new Queued(Kind.valueOf(r.getString("kind")), r.getUUID("registry_id"),
                                r.getString("item"), r.getLong("size")));
                    });
                    if (queued.isEmpty()) {
                        return Uni.createFrom().item(new Drained(List.of(), 0));
                    }
                    return delete.apply(queued)
                            .flatMap(outcomes -> {
                                List<Long> done = new ArrayList<>();
                                List<Long> failed = new ArrayList<>();
                                List<Queued> deleted = new ArrayList<>();
                                for (int i = 0; i < queued.size(); i++) {
                                    if (outcomes.get(i)) {
                                        done.add(ids.get(i));
                                        deleted.add(queued.get(i));
                                    } else {
                                        failed.add(ids.get(i));
                                    }
                                }
                                return conn.preparedQuery("delete from storage_deletion where id = any($1)")
                                        .execute(Tuple.of(done.toArray(Long[]::new)))
                                        .flatMap(v -> conn.preparedQuery("update storage_deletion set not_before ="
                                                + " now() + make_interval(secs => $2) where id = any($1)")
                                                .execute(Tuple.of(failed.toArray(Long[]::new), (double) retryAfterSeconds)))
                                        .replaceWith(new Drained(deleted, queued.size()));
                            });
                }));
    }

    /** What one batch removed, and how many rows it held. */
    public record Drained(List<Queued> deleted, int held) {
    }
}
