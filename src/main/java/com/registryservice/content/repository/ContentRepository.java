package com.registryservice.content.repository;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * What each registry holds: repositories, manifests (with the blobs they reference), tags and blobs. The registry
 * data plane writes it (a later issue); until then, tests write it through these methods.
 */
@ApplicationScoped
public class ContentRepository {

    private final Pool pool;

    public ContentRepository(Pool pool) {
        this.pool = pool;
    }

    /** A repository with the counts the API shows. */
    public record RepositorySummary(String name, Instant createdDate, long manifestCount, long tagCount,
            Instant lastPushedAt, long pullCount, long pushCount, Instant lastPulledAt) {
    }

    private static final String SUMMARY = "select r.name, r.created_date,"
            + " (select count(*) from manifest m where m.repository_id = r.id) as manifests,"
            + " (select count(*) from tag t where t.repository_id = r.id) as tags,"
            + " coalesce(r.last_pushed_at, (select max(m.created_date) from manifest m where m.repository_id = r.id))"
            + " as last_pushed, r.pull_count, r.push_count, r.last_pulled_at"
            + " from repository r";

    public Uni<Long> createRepository(UUID registry, String name) {
        return insert("insert into repository (registry_id, name) values ($1, $2) returning id", Tuple.of(registry, name));
    }

    public Uni<Long> addBlob(UUID registry, String digest, long size, Instant created) {
        return insert("insert into blob (registry_id, digest, size, created_date) values ($1, $2, $3, $4) returning id",
                Tuple.of(registry, digest, size, created.atOffset(ZoneOffset.UTC)));
    }

    /** A manifest of {@code repository} that references {@code blobs}. */
    public Uni<Long> addManifest(UUID registry, long repository, String digest, long size, Instant created,
            List<Long> blobs) {
        return insert("insert into manifest (registry_id, repository_id, digest, media_type, size, created_date)"
                + " values ($1, $2, $3, 'application/vnd.oci.image.manifest.v1+json', $4, $5) returning id",
                Tuple.of(registry, repository, digest, size, created.atOffset(ZoneOffset.UTC)))
                .call(manifest -> blobs.isEmpty() ? Uni.createFrom().voidItem()
                        : pool.preparedQuery("insert into manifest_blob (manifest_id, blob_id)"
                                + " select $1, unnest($2::bigint[])")
                                .execute(Tuple.of(manifest, blobs.toArray(Long[]::new))).replaceWithVoid());
    }

    public Uni<Void> tag(long repository, String name, long manifest) {
        return pool.preparedQuery("insert into tag (repository_id, name, manifest_id) values ($1, $2, $3)"
                + " on conflict (repository_id, name) do update set manifest_id = excluded.manifest_id")
                .execute(Tuple.of(repository, name, manifest)).replaceWithVoid();
    }

    public Uni<List<RepositorySummary>> list(UUID registry, int offset, int limit) {
        return pool.preparedQuery(SUMMARY + " where r.registry_id = $1 order by r.name offset $2 limit $3")
                .execute(Tuple.of(registry, offset, limit))
                .map(rows -> {
                    List<RepositorySummary> list = new ArrayList<>();
                    rows.forEach(r -> list.add(summary(r)));
                    return list;
                });
    }

    public Uni<Long> count(UUID registry) {
        return pool.preparedQuery("select count(*) as n from repository where registry_id = $1")
                .execute(Tuple.of(registry)).map(rows -> rows.iterator().next().getLong("n"));
    }

    /** The repository, or null. */
    public Uni<RepositorySummary> find(UUID registry, String name) {
        return pool.preparedQuery(SUMMARY + " where r.registry_id = $1 and r.name = $2")
                .execute(Tuple.of(registry, name))
                .map(rows -> rows.rowCount() == 0 ? null : summary(rows.iterator().next()));
    }

    /** Deletes the repository with its manifests and tags; its blobs stay until a GC run frees them. */
    public Uni<Boolean> delete(UUID registry, String name) {
        return pool.preparedQuery("delete from repository where registry_id = $1 and name = $2")
                .execute(Tuple.of(registry, name)).map(rows -> rows.rowCount() > 0);
    }

    private Uni<Long> insert(String sql, Tuple params) {
        return pool.preparedQuery(sql).execute(params).map(rows -> rows.iterator().next().getLong("id"));
    }

    private static RepositorySummary summary(Row r) {
        return new RepositorySummary(r.getString("name"), r.getOffsetDateTime("created_date").toInstant(),
                r.getLong("manifests"), r.getLong("tags"), instant(r, "last_pushed"), r.getLong("pull_count"),
                r.getLong("push_count"), instant(r, "last_pulled_at"));
    }

    private static Instant instant(Row r, String column) {
        var value = r.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }
}
