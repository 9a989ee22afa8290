package com.registryservice.gc;

import static com.registryservice.support.Api.asUser;
import static com.registryservice.support.Api.awaitProvisioned;
import static com.registryservice.support.Api.create;
import static com.registryservice.support.Api.uniqueName;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.registryservice.content.repository.ContentRepository;
import com.registryservice.support.Database;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Mark and sweep, with exact counts and bytes, the grace period, batches and dry runs. */
@QuarkusTest
class CollectorTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    ContentRepository content;

    @Inject
    Database database;

    private final Instant old = Instant.now().minus(3, ChronoUnit.HOURS);
    private final Instant young = Instant.now().minus(10, ChronoUnit.MINUTES);

    /**
     * Blobs b1 100, b2 200, b3 400 (shared), b4 800 (orphan), all old, and b5 1600 (orphan, young); manifests m1
     * (tagged, 10 bytes: b1, b3), m2 (untagged, 20 bytes: b2, b3), both old, and m3 (untagged, 40 bytes, young).
     */
    private String registryWithContent() {
        String id = create(uniqueName("sweep"));
        awaitProvisioned(id);
        UUID registry = UUID.fromString(id);
        long repo = content.createRepository(registry, "app").await().atMost(WAIT);
        long b1 = content.addBlob(registry, "sha256:b1", 100, old).await().atMost(WAIT);
        long b2 = content.addBlob(registry, "sha256:b2", 200, old).await().atMost(WAIT);
        long b3 = content.addBlob(registry, "sha256:b3", 400, old).await().atMost(WAIT);
        content.addBlob(registry, "sha256:b4", 800, old).await().atMost(WAIT);
        content.addBlob(registry, "sha256:b5", 1600, young).await().atMost(WAIT);
        long m1 = content.addManifest(registry, repo, "sha256:m1", 10, old, List.of(b1, b3)).await().atMost(WAIT);
        content.addManifest(registry, repo, "sha256:m2", 20, old, List.of(b2, b3)).await().atMost(WAIT);
        content.addManifest(registry, repo, "sha256:m3", 40, young, List.of()).await().atMost(WAIT);
        content.tag(repo, "latest", m1).await().atMost(WAIT);
        return id;
    }

    /** Starts a manual run and waits until it ends. */
    private JsonPath runToEnd(String registry, boolean dryRun) {
        String location = asUser().body("{\"dryRun\": " + dryRun + "}").post("/registries/{id}/garbage-collections",
                registry).then().statusCode(202).extract().header("Location");
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> List.of("SUCCEEDED", "FAILED")
                .contains(asUser().get(location).then().extract().path("properties.status")));
        return asUser().get(location).then().statusCode(200).extract().jsonPath();
    }

    private long count(String table, String registry) {
        return database.query("select count(*) from " + table + " where registry_id = $1::uuid", registry).get(0)
                .getLong(0);
    }

    @Test
    void aRunDeletesUntaggedManifestsThenUnreferencedBlobsWithExactCountsAndBytes() {
        String id = registryWithContent();
        JsonPath run = runToEnd(id, false);
        assertEquals("SUCCEEDED", run.getString("properties.status"));
        assertEquals(1, run.getLong("properties.deletedManifests"));
        assertEquals(2, run.getLong("properties.deletedBlobs"));
        assertEquals(20 + 200 + 800, run.getLong("properties.freedBytes"));
        // left: m1 (tagged) and m3 (young); b1 and b3 (referenced by m1) and b5 (young)
        assertEquals(List.of("sha256:m1", "sha256:m3"), database.query("select digest from manifest where registry_id ="
                + " $1::uuid order by digest", id).stream().map(r -> r.getString(0)).toList());
        assertEquals(List.of("sha256:b1", "sha256:b3", "sha256:b5"), database.query("select digest from blob where"
                + " registry_id = $1::uuid order by digest", id).stream().map(r -> r.getString(0)).toList());
        JsonPath registry = asUser().get("/registries/{id}", id).then().extract().jsonPath();
        assertEquals(100 + 400 + 1600 + 10 + 40, registry.getLong("properties.storageUsage.bytes"));
        assertEquals(true, registry.getString("properties.storageUsage.updatedAt") != null);
    }

    @Test
    void aRunAndTheStorageUsageItMeasuredGiveTheirTimesInMilliseconds() {
        String id = registryWithContent();
        JsonPath run = runToEnd(id, false);
        JsonPath registry = asUser().get("/registries/{id}", id).then().extract().jsonPath();
        JsonPath repositories = asUser().get("/registries/{id}/repositories", id).then().statusCode(200).extract()
                .jsonPath();
        List<String> times = new java.util.ArrayList<>();
        collectTimes(run.get(), times);
        collectTimes(registry.get(), times);
        collectTimes(repositories.get(), times);
        // created, started, finished; the registry's created, modified and storage usage's updated; the repository's
        assertEquals(true, times.size() >= 7, "times found: " + times);
        for (String time : times) {
            assertEquals(true, time.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,3})?Z"),
                    "the API promises milliseconds: " + time);
        }
    }

    /** Every string of a JSON document that is a time (starts as a date-time does). */
    private static void collectTimes(Object node, List<String> times) {
        if (node instanceof java.util.Map<?, ?> map) {
            map.values().forEach(value -> collectTimes(value, times));
        } else if (node instanceof List<?> list) {
            list.forEach(value -> collectTimes(value, times));
        } else if (node instanceof String text && text.matches("\\d{4}-\\d{2}-\\d{2}T.*")) {
            times.add(text);
        }
    }

    @Test
    void aDryRunReportsWhatItWouldFreeAndDeletesNothing() {
        String id = registryWithContent();
        JsonPath run = runToEnd(id, true);
        assertEquals("SUCCEEDED", run.getString("properties.status"));
        assertEquals(true, run.getBoolean("properties.dryRun"));
        assertEquals(1, run.getLong("properties.deletedManifests"));
        assertEquals(2, run.getLong("properties.deletedBlobs"));
        assertEquals(1020, run.getLong("properties.freedBytes"));
        assertEquals(3, count("manifest", id));
        assertEquals(5, count("blob", id));
        assertEquals(100 + 200 + 400 + 800 + 1600 + 10 + 20 + 40,
                asUser().get("/registries/{id}", id).then().extract().jsonPath().getLong("properties.storageUsage.bytes"));
    }

    /**
     * Content that only a chain of deletions frees, all old unless said: an untagged index (5 bytes) listing a child
     * (7 bytes: a layer of 100), a signature of the child (11 bytes: 50) and a signature of that signature (13 bytes:
     * 25); beside them a tagged image (17 bytes: 1,000) with its signature (19 bytes: 2,000), and a young untagged
     * index listing an old child (23 bytes: 4,000), which both stay.
     */
    private String registryWithChains() {
        String id = create(uniqueName("chain"));
        awaitProvisioned(id);
        UUID registry = UUID.fromString(id);
        long repo = content.createRepository(registry, "app").await().atMost(WAIT);
        long index = manifest(registry, repo, "sha256:index", 5, old, List.of());
        long child = manifest(registry, repo, "sha256:child", 7, old, List.of(blob(registry, "sha256:l1", 100)));
        long signature = manifest(registry, repo, "sha256:sig", 11, old, List.of(blob(registry, "sha256:l2", 50)));
        long signed = manifest(registry, repo, "sha256:sig-sig", 13, old, List.of(blob(registry, "sha256:l3", 25)));
        long kept = manifest(registry, repo, "sha256:kept", 17, old, List.of(blob(registry, "sha256:l4", 1_000)));
        long keptSignature = manifest(registry, repo, "sha256:kept-sig", 19, old,
                List.of(blob(registry, "sha256:l5", 2_000)));
        long youngIndex = manifest(registry, repo, "sha256:young-index", 3, young, List.of());
        long held = manifest(registry, repo, "sha256:held", 23, old, List.of(blob(registry, "sha256:l6", 4_000)));
        content.tag(repo, "latest", kept).await().atMost(WAIT);
        database.update("insert into manifest_child (manifest_id, child_id) values ($1, $2), ($3, $4)", index, child,
                youngIndex, held);
        database.update("update manifest set subject = 'sha256:child' where id = $1", signature);
        database.update("update manifest set subject = 'sha256:sig' where id = $1", signed);
        database.update("update manifest set subject = 'sha256:kept' where id = $1", keptSignature);
        return id;
    }

    private long manifest(UUID registry, long repo, String digest, long size, Instant created, List<Long> blobs) {
        return content.addManifest(registry, repo, digest, size, created, blobs).await().atMost(WAIT);
    }

    private long blob(UUID registry, String digest, long size) {
        return content.addBlob(registry, digest, size, old).await().atMost(WAIT);
    }

    @Test
    void aRunFollowsChainsOfDeletionsToTheirEnd() {
        String id = registryWithChains();
        JsonPath run = runToEnd(id, false);
        assertEquals("SUCCEEDED", run.getString("properties.status"));
        // the index, then its child, then the child's signature, then that signature's: one run, not four
        assertEquals(4, run.getLong("properties.deletedManifests"));
        assertEquals(3, run.getLong("properties.deletedBlobs"));
        assertEquals(5 + 7 + 11 + 13 + 100 + 50 + 25, run.getLong("properties.freedBytes"));
        assertEquals(List.of("sha256:held", "sha256:kept", "sha256:kept-sig", "sha256:young-index"), database.query(
                "select digest from manifest where registry_id = $1::uuid order by digest", id).stream()
                .map(r -> r.getString(0)).toList());
        assertEquals(List.of("sha256:l4", "sha256:l5", "sha256:l6"), database.query("select digest from blob where"
                + " registry_id = $1::uuid order by digest", id).stream().map(r -> r.getString(0)).toList());
    }

    @Test
    void aDryRunCountsWhatTheChainsWouldFree() {
        String id = registryWithChains();
        JsonPath run = runToEnd(id, true);
        assertEquals(4, run.getLong("properties.deletedManifests"));
        assertEquals(3, run.getLong("properties.deletedBlobs"));
        assertEquals(5 + 7 + 11 + 13 + 100 + 50 + 25, run.getLong("properties.freedBytes"));
        assertEquals(8, count("manifest", id));
    }

    @Test
    void nothingYoungerThanTheGracePeriodIsCollected() {
        String id = create(uniqueName("grace"));
        awaitProvisioned(id);
        UUID registry = UUID.fromString(id);
        long repo = content.createRepository(registry, "app").await().atMost(WAIT);
        long fresh = content.addBlob(registry, "sha256:fresh", 5, young).await().atMost(WAIT);
        content.addManifest(registry, repo, "sha256:pushing", 7, young, List.of(fresh)).await().atMost(WAIT);
        content.addBlob(registry, "sha256:uploading", 9, Instant.now()).await().atMost(WAIT);
        JsonPath run = runToEnd(id, false);
        assertEquals(0, run.getLong("properties.freedBytes"));
        assertEquals(1, count("manifest", id));
        assertEquals(2, count("blob", id));
    }

    @Test
    void aRunWorksInBatchesUntilEverythingCollectableIsGone() {
        String id = create(uniqueName("batches"));
        awaitProvisioned(id);
        // 2,500 orphan blobs: three batches of at most 1,000
        database.update("insert into blob (registry_id, digest, size, created_date) select $1::uuid,"
                + " 'sha256:' || g, 3, now() - interval '1 day' from generate_series(1, 2500) g", id);
        JsonPath run = runToEnd(id, false);
        assertEquals(2500, run.getLong("properties.deletedBlobs"));
        assertEquals(7500, run.getLong("properties.freedBytes"));
        assertEquals(0, count("blob", id));
    }

    @Test
    void deletingARepositoryRemovesItsContentAndTheNextRunFreesTheSpace() {
        String id = registryWithContent();
        asUser().get("/registries/{id}/repositories", id).then().statusCode(200)
                .body("total", org.hamcrest.Matchers.equalTo(1))
                .body("items[0].properties.name", org.hamcrest.Matchers.equalTo("app"))
                .body("items[0].metadata.artifactCount", org.hamcrest.Matchers.equalTo(3));
        asUser().get("/registries/{id}/repositories/app", id).then().statusCode(200);
        asUser().delete("/registries/{id}/repositories/app", id).then().statusCode(204);
        asUser().get("/registries/{id}/repositories/app", id).then().statusCode(404);
        asUser().delete("/registries/{id}/repositories/app", id).then().statusCode(404);
        assertEquals(0, count("manifest", id));
        JsonPath run = runToEnd(id, false);
        // the old blobs go; the young one stays
        assertEquals(4, run.getLong("properties.deletedBlobs"));
        assertEquals(1, count("blob", id));
    }
}
