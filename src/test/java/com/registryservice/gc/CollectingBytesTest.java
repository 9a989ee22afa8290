package com.registryservice.gc;

import static com.registryservice.support.Api.asUser;
import static com.registryservice.support.Oci.assertPullsWhole;
import static com.registryservice.support.Oci.pushBlob;
import static com.registryservice.support.Oci.pushImage;
import static com.registryservice.support.Oci.random;
import static com.registryservice.support.Oci.registry;
import static com.registryservice.support.Oci.sha256;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.registryservice.content.service.StorageReclaimer;
import com.registryservice.gc.service.Collector;
import com.registryservice.support.Database;
import com.registryservice.support.Oci.Image;
import com.registryservice.support.Oci.Registry;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Row;

/**
 * Garbage collection on bytes really pushed through the OCI API: what a run deletes from the blob store, what it
 * keeps, and pushes racing runs. Content is made older than the grace period by moving its timestamps back.
 */
@QuarkusTest
public class CollectingBytesTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    Collector gc;

    @Inject
    StorageReclaimer reclaimer;

    @Inject
    com.registryservice.content.repository.StorageDeletions deletions;

    @Inject
    com.registryservice.storage.BlobStore store;

    @Inject
    Database database;

    @Inject
    com.registryservice.content.repository.DistributionRepository distribution;

    /** Makes everything the registry holds now older than the grace period (2 h by default). */
    private void age(Registry registry) {
        for (String table : List.of("blob", "manifest")) {
            database.update("update " + table + " set created_date = now() - interval '3 hours'"
                    + " where registry_id = $1::uuid", registry.id());
        }
        database.update("update upload set updated_date = now() - interval '3 hours' where registry_id = $1::uuid",
                registry.id());
    }

    /**
     * Runs GC on the registry now, as a manual run (the trigger kicks this instance's runs job; working on pending
     * runs here too takes whichever comes first), and answers the run as the API shows it once it ended.
     */
    private Map<String, Object> collect(Registry registry, boolean dryRun) {
        String run = asUser().body(Map.of("dryRun", dryRun)).post("/registries/{id}/garbage-collections", registry.id())
                .then().statusCode(202).extract().path("id");
        gc.runPending().await().atMost(WAIT);
        await().atMost(WAIT).until(() -> !List.of("QUEUED", "RUNNING").contains(asUser()
                .get("/registries/{id}/garbage-collections/{run}", registry.id(), run).then().extract()
                .path("properties.status")));
        return asUser().get("/registries/{id}/garbage-collections/{run}", registry.id(), run).then().statusCode(200)
                .body("properties.status", equalTo("SUCCEEDED")).extract().path("properties");
    }

    private long queued(Registry registry) {
        return database.query("select count(*) from storage_deletion where registry_id = $1::uuid", registry.id())
                .get(0).getLong(0);
    }

    private static long number(Map<String, Object> properties, String key) {
        return ((Number) properties.get(key)).longValue();
    }

    @Test
    void aRunDeletesTheBytesOfWhatItSweepsAndKeepsWhatIsInUse() {
        Registry registry = registry();
        String repo = registry.repo("team/app");
        Image kept = pushImage(repo, "keep", List.of(random(20_000, 1)));
        Image dropped = pushImage(repo, "drop", List.of(random(30_000, 2)));
        byte[] orphan = random(7_000, 3);
        String orphanDigest = pushBlob(repo, orphan);
        asUser().delete(repo + "/manifests/drop").then().statusCode(202);
        age(registry);

        Map<String, Object> run = collect(registry, false);

        assertEquals(1, number(run, "deletedManifests"));
        assertEquals(3, number(run, "deletedBlobs"), "the dropped image's config and layer, and the orphan");
        long droppedBytes = dropped.manifest().length + dropped.contents().stream().mapToLong(b -> b.length).sum()
                + orphan.length;
        assertEquals(droppedBytes, number(run, "freedBytes"));
        for (String digest : List.of(dropped.blobs().get(0), dropped.blobs().get(1), orphanDigest)) {
            assertFalse(registry.holdsBlob(digest), digest + " is gone from the store");
            asUser().head(repo + "/blobs/" + digest).then().statusCode(404);
        }
        kept.blobs().forEach(digest -> assertTrue(registry.holdsBlob(digest), digest + " is kept"));
        assertPullsWhole(repo, "keep", kept);
        // nothing is left queued (a finished upload's own leftovers go in the background, right after its push)
        await().atMost(WAIT).until(() -> queued(registry) == 0);
        long keptBytes = kept.manifest().length + kept.contents().stream().mapToLong(b -> b.length).sum();
        asUser().get("/registries/{id}", registry.id()).then().statusCode(200)
                .body("properties.storageUsage.bytes", equalTo((int) keptBytes));
    }

    @Test
    void aDryRunReportsWhatItWouldFreeAndDeletesNothing() {
        Registry registry = registry();
        String repo = registry.repo("app");
        byte[] orphan = random(9_000, 4);
        String digest = pushBlob(repo, orphan);
        age(registry);

        Map<String, Object> run = collect(registry, true);

        assertEquals(1, number(run, "deletedBlobs"));
        assertEquals(orphan.length, number(run, "freedBytes"));
        assertTrue(registry.holdsBlob(digest));
        assertArrayEquals(orphan, asUser().get(repo + "/blobs/" + digest).then().statusCode(200).extract().asByteArray());
    }

    @Test
    void abandonedUploadsGoWithTheirTemporaryBytesAndLiveOnesStay() {
        Registry registry = registry();
        String repo = registry.repo("app");
        String abandoned = asUser().post(repo + "/blobs/uploads/").then().statusCode(202).extract()
                .header("Docker-Upload-UUID");
        asUser().contentType("application/octet-stream").header("Content-Range", "0-999").body(random(1_000, 5))
                .patch(repo + "/blobs/uploads/" + abandoned).then().statusCode(202);
        assertTrue(registry.holdsUpload(abandoned));
        age(registry);
        String live = asUser().post(repo + "/blobs/uploads/").then().statusCode(202).extract()
                .header("Docker-Upload-UUID");

        Map<String, Object> run = collect(registry, false);

        assertEquals(1_000, number(run, "freedBytes"));
        assertFalse(registry.holdsUpload(abandoned), "the temporary bytes are gone");
        asUser().get(repo + "/blobs/uploads/" + abandoned).then().statusCode(404)
                .body("errors[0].code", equalTo("BLOB_UPLOAD_UNKNOWN"));
        asUser().get(repo + "/blobs/uploads/" + live).then().statusCode(204);
    }

    /** What a sweep that committed leaves of the blob: its bytes, queued for removal, not yet removed. */
    private void sweptButNotRemoved(Registry registry, String digest) {
        // the upload's own bytes, queued by the push, go first: the reclaimer the push woke would take the blob's too
        await().atMost(WAIT).until(() -> queued(registry) == 0);
        database.update("with gone as (delete from blob where registry_id = $1::uuid and digest = $2"
                + " returning registry_id, digest, size) insert into storage_deletion (kind, registry_id, item, size)"
                + " select 'BLOB', registry_id, digest, size from gone", registry.id(), digest);
    }

    @Test
    void aBlobPushedAgainWhileItsDeletionIsQueuedKeepsItsBytes() {
        Registry registry = registry();
        String repo = registry.repo("app");
        byte[] data = random(4_000, 6);
        String digest = pushBlob(repo, data);
        sweptButNotRemoved(registry, digest);
        asUser().head(repo + "/blobs/" + digest).then().statusCode(404);

        pushBlob(repo, data);
        reclaimer.drain().await().atMost(WAIT);

        await().atMost(WAIT).until(() -> queued(registry) == 0);
        assertArrayEquals(data, asUser().get(repo + "/blobs/" + digest).then().statusCode(200).extract().asByteArray());
    }

    @Test
    void aBlobPushedAgainWhileItsBytesAreBeingDeletedWaitsForTheDeletionAndKeepsItsBytes() throws Exception {
        Registry registry = registry();
        String repo = registry.repo("app");
        byte[] data = random(5_000, 9);
        String digest = pushBlob(repo, data);
        sweptButNotRemoved(registry, digest);
        RemovalUnderWay removal = removalUnderWay(registry, digest);

        CompletableFuture<String> push = CompletableFuture.supplyAsync(() -> pushBlob(repo, data));
        // the push waits for the lock of those bytes: without it, it would place its bytes now and lose them
        await().atMost(WAIT).until(() -> pushLockWaiters() > 0);
        removal.finish();
        push.get(30, TimeUnit.SECONDS);

        // what is left queued (the upload's own bytes) goes in the background
        await().atMost(WAIT).until(() -> queued(registry) == 0);
        assertArrayEquals(data, asUser().get(repo + "/blobs/" + digest).then().statusCode(200).extract().asByteArray());
    }

    @Test
    void pushesOfTheSameBytesWaitForEachOtherOnOneConnection() throws Exception {
        Registry registry = registry();
        byte[] data = random(5_000, 10);
        String digest = pushBlob(registry.repo("app"), data);
        sweptButNotRemoved(registry, digest);
        RemovalUnderWay removal = removalUnderWay(registry, digest);

        // a CI fleet pushing one new layer at once: each push waiting inside PostgreSQL would hold a pooled connection
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> pushes = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String repo = registry.repo("ci" + i);
                pushes.add(clients.submit(() -> pushBlob(repo, data)));
            }
            UUID id = UUID.fromString(registry.id());
            // one push waits for the bytes' lock inside PostgreSQL; the three others wait in memory
            await().atMost(WAIT).until(() -> distribution.pushesWaiting(id, digest) == 3 && pushLockWaiters() == 1);

            removal.finish();
            for (Future<String> push : pushes) {
                assertEquals(digest, push.get(30, TimeUnit.SECONDS));
            }
        } finally {
            clients.shutdownNow();
        }
        assertEquals(0, distribution.pushesWaiting(UUID.fromString(registry.id()), digest));
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(data, asUser().get(registry.repo("ci" + i) + "/blobs/" + digest).then().statusCode(200)
                    .extract().asByteArray());
        }
    }

    /**
     * Pushes waiting inside PostgreSQL for a bytes' advisory lock (asked for, not granted yet); the reclaimer, woken by
     * any test's push, may wait for a lock too and is not counted.
     */
    private int pushLockWaiters() {
        return database.query("select 1 from pg_locks l join pg_stat_activity a using (pid)"
                + " where l.locktype = 'advisory' and not l.granted"
                + " and a.query not like 'select pg_advisory_lock(k) from%'").size();
    }

    /** A reclaimer that has claimed the deletion of a blob's bytes and is removing them, slowly: until finished. */
    private record RemovalUnderWay(CompletableFuture<Void> go, CompletableFuture<?> drained) {
        void finish() throws Exception {
            go.complete(null);
            drained.get(30, TimeUnit.SECONDS);
        }
    }

    private RemovalUnderWay removalUnderWay(Registry registry, String digest) throws Exception {
        String key = com.registryservice.content.Digest.parse(digest).storageKey(UUID.fromString(registry.id()));
        CompletableFuture<Void> removing = new CompletableFuture<>();
        CompletableFuture<Void> go = new CompletableFuture<>();
        CompletableFuture<?> drained = deletions.drain(1000, 0, batch -> {
            boolean mine = batch.stream().anyMatch(q -> q.item().equals(digest));
            if (mine) {
                removing.complete(null);
            }
            return io.smallrye.mutiny.Uni.createFrom().completionStage(go)
                    .flatMap(v -> mine ? store.delete(List.of(key)) : io.smallrye.mutiny.Uni.createFrom().voidItem())
                    .map(v -> batch.stream().map(q -> q.item().equals(digest)).toList());
        }).subscribeAsCompletionStage();
        removing.get(30, TimeUnit.SECONDS);
        return new RemovalUnderWay(go, drained);
    }

    @Test
    void deletingABlobRemovesItsBytes() {
        Registry registry = registry();
        String repo = registry.repo("app");
        String digest = pushBlob(repo, random(3_000, 7));
        asUser().delete(repo + "/blobs/" + digest).then().statusCode(202);
        await().atMost(WAIT).until(() -> !registry.holdsBlob(digest) && queued(registry) == 0);
        asUser().get(repo + "/blobs/" + digest).then().statusCode(404).body("errors[0].code", equalTo("BLOB_UNKNOWN"));
    }

    @Test
    void deletingARegistryRemovesItsBytesInTheBackground() {
        Registry registry = registry();
        Image image = pushImage(registry.repo("app"), "1", List.of(random(5_000, 8)));
        assertTrue(registry.holdsBlob(image.blobs().get(1)));
        asUser().delete("/registries/{id}", registry.id()).then().statusCode(204);
        await().atMost(WAIT).until(() -> !registry.holdsAnything() && queued(registry) == 0);
        assertEquals(0, database.query("select count(*) from blob where registry_id = $1::uuid", registry.id()).get(0)
                .getLong(0));
    }

    /**
     * Online GC: pushers use (by HEAD, as clients do, or by pushing again) blobs that GC is collecting at that
     * moment, while runs follow one another; every image pushed pulls back whole afterwards.
     */
    @Test
    void pushesRacingGcRunsAllPullWhole() throws Exception {
        Registry registry = registry();
        String repo = registry.repo("race");
        List<byte[]> shared = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            shared.add(random(2_000 + i, 100 + i));
            pushBlob(repo, shared.get(i));
        }
        age(registry); // every shared layer is garbage now, and would be collected but for the pushes
        AtomicBoolean pushing = new AtomicBoolean(true);
        AtomicInteger runs = new AtomicInteger();
        Map<String, Image> pushed = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            Future<?> collector = pool.submit(() -> {
                while (pushing.get() || runs.get() < 2) {
                    collect(registry, false);
                    runs.incrementAndGet();
                }
                return null;
            });
            List<Future<?>> pushers = new ArrayList<>();
            for (int p = 0; p < 4; p++) {
                int pusher = p;
                pushers.add(pool.submit(() -> {
                    for (int i = 0; i < 6; i++) {
                        List<byte[]> layers = new ArrayList<>(shared.subList((pusher * 3 + i) % 12, (pusher * 3 + i) % 12 + 1));
                        layers.add(random(1_000, pusher * 1000 + i));
                        String tag = "p" + pusher + "-" + i;
                        if (pusher % 2 == 1) {
                            pushBlob(repo, layers.get(0)); // pushed again rather than found by HEAD
                        }
                        pushed.put(tag, pushImage(repo, tag, layers));
                    }
                    return null;
                }));
            }
            for (Future<?> pusher : pushers) {
                pusher.get();
            }
            pushing.set(false);
            collector.get();
        } finally {
            pool.shutdownNow();
        }
        assertTrue(runs.get() >= 2, "runs went on during the pushes: " + runs.get());
        assertEquals(24, pushed.size());
        age(registry);
        collect(registry, false); // a run after it all: everything tagged stays
        List<String> tags = new ArrayList<>(pushed.keySet());
        Collections.sort(tags);
        for (String tag : tags) {
            assertPullsWhole(repo, tag, pushed.get(tag));
        }
        for (Row row : database.query("select digest from blob where registry_id = $1::uuid", registry.id())) {
            assertTrue(registry.holdsBlob(row.getString(0)), "a recorded blob has its bytes: " + row.getString(0));
        }
    }
}
