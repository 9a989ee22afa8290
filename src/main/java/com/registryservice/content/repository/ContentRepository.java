package com.registryservice.content.repository;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.registryservice.content.ArtifactSummary;
import com.registryservice.content.RepositorySummary;

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

    /** How repositories may be ordered (each ascending or descending; ties by name). */
    public enum RepositoryOrder {
        NAME("name"), LAST_PUSH("last_pushed"), LAST_PULL("last_pulled_at"), ARTIFACT_COUNT("artifacts"),
        PULL_COUNT("pull_count"), PUSH_COUNT("push_count");

        private final String column;

        RepositoryOrder(String column) {
            this.column = column;
        }
    }

    /** How artifacts may be ordered (each ascending or descending; ties by repository and digest). */
    public enum ArtifactOrder {
        PULL_COUNT("pull_count"), PUSH_COUNT("push_count"), LAST_PUSH("last_pushed"), LAST_PULL("last_pulled_at");

        private final String column;

        ArtifactOrder(String column) {
            this.column = column;
        }
    }

    private static final String SUMMARY = "select r.name, r.created_date,"
            + " (select count(*) from manifest m where m.repository_id = r.id) as artifacts,"
            + " r.pull_count, r.push_count, r.last_pulled_at,"
            + " coalesce(r.last_pushed_at, (select max(m.created_date) from manifest m where m.repository_id = r.id))"
            + " as last_pushed from repository r";

    private static final String ARTIFACTS = "select r.name as repository, m.digest, m.media_type, m.created_date,"
            + " m.push_count, m.pull_count, coalesce(m.last_pushed_at, m.created_date) as last_pushed, m.last_pulled_at,"
            + " array(select t.name from tag t where t.manifest_id = m.id order by t.name) as tags"
            + " from manifest m join repository r on r.id = m.repository_id";

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

    /** A page of the registry's repositories whose names contain {@code nameContains}, in the order asked. */
    public Uni<List<RepositorySummary>> list(UUID registry, Optional<String> nameContains, RepositoryOrder order,
            boolean descending, int offset, int limit) {
        return pool.preparedQuery(SUMMARY + " where r.registry_id = $1 and ($2::text is null or strpos(r.name, $2) > 0)"
                + " order by " + order.column + (descending ? " desc" : " asc") + " nulls last, name asc"
                + " offset $3 limit $4")
                .execute(Tuple.of(registry, nameContains.orElse(null), offset, limit))
                .map(rows -> {
                    List<RepositorySummary> list = new ArrayList<>();
                    rows.forEach(r -> list.add(summary(r)));
                    return list;
                });
    }

    public Uni<Long> count(UUID registry, Optional<String> nameContains) {
        return pool.preparedQuery("select count(*) as n from repository where registry_id = $1"
                + " and ($2::text is null or strpos(name, $2) > 0)")
                .execute(Tuple.of(registry, nameContains.orElse(null)))
                .map(rows -> rows.iterator().next().getLong("n"));
    }

    /** The repository, or null. */
    public Uni<RepositorySummary> find(UUID registry, String name) {
        return pool.preparedQuery(SUMMARY + " where r.registry_id = $1 and r.name = $2")
                .execute(Tuple.of(registry, name))
                .map(rows -> rows.rowCount() == 0 ? null : summary(rows.iterator().next()));
    }

    /** A page of the artifacts of the registry, or of one repository of it, in the order asked. */
    public Uni<List<ArtifactSummary>> artifacts(UUID registry, Optional<String> repository, ArtifactOrder order,
            boolean descending, int offset, int limit) {
        return pool.preparedQuery(ARTIFACTS + " where m.registry_id = $1 and ($2::text is null or r.name = $2)"
                + " order by " + order.column + (descending ? " desc" : " asc") + " nulls last, repository asc,"
                + " m.digest asc offset $3 limit $4")
                .execute(Tuple.of(registry, repository.orElse(null), offset, limit))
                .map(rows -> {
                    List<ArtifactSummary> list = new ArrayList<>();
                    rows.forEach(r -> list.add(artifact(r)));
                    return list;
                });
    }

    public Uni<Long> countArtifacts(UUID registry, Optional<String> repository) {
        return pool.preparedQuery("select count(*) as n from manifest m join repository r on r.id = m.repository_id"
                + " where m.registry_id = $1 and ($2::text is null or r.name = $2)")
                .execute(Tuple.of(registry, repository.orElse(null)))
                .map(rows -> rows.iterator().next().getLong("n"));
    }

    /** The artifact of the repository with this digest, or null. */
    public Uni<ArtifactSummary> artifact(UUID registry, String repository, String digest) {
        return pool.preparedQuery(ARTIFACTS + " where m.registry_id = $1 and r.name = $2 and m.digest = $3")
                .execute(Tuple.of(registry, repository, digest))
                .map(rows -> rows.rowCount() == 0 ? null : artifact(rows.iterator().next()));
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
                r.getLong("artifacts"), r.getLong("pull_count"), r.getLong("push_count"),
                instant(r, "last_pulled_at"), instant(r, "last_pushed"));
    }

    private static ArtifactSummary artifact(Row r) {
        return new ArtifactSummary(r.getString("repository"), r.getString("digest"), r.getString("media_type"),
                List.of(r.getArrayOfStrings("tags")), r.getOffsetDateTime("created_date").toInstant(),
                r.getLong("push_count"), r.getLong("pull_count"), instant(r, "last_pushed"),
                instant(r, "last_pulled_at"));
    }

    private static Instant instant(Row r, String column) {
        var value = r.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }
}
