package com.registryservice.events;

import static com.registryservice.support.Api.as;
import static com.registryservice.support.Api.asUser;
import static com.registryservice.support.Api.body;
import static com.registryservice.support.Api.uniqueName;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.registryservice.gc.service.Collector;
import com.registryservice.support.Database;
import com.registryservice.support.EventStream;

import io.quarkus.test.junit.QuarkusTest;

/** GET /events: the changes of the caller's registries, live, from whichever connection made them. */
@QuarkusTest
class EventsTest {

    @Inject
    Database database;

    @Inject
    Collector gc;

    @Inject
    com.registryservice.content.repository.StorageDeletions deletions;

    @Inject
    com.registryservice.content.repository.DistributionRepository content;

    private static String create(String user, String name, String location) {
        return as(user).body(body(name, location)).post("/registries").then().statusCode(201).extract().path("id");
    }

    private static String registryOf(EventStream.Received event) {
        return event.message().getString("registryId");
    }

    @Test
    void aCreatedRegistryIsStreamedWithItsData() {
        try (EventStream events = EventStream.open("tester")) {
            String name = uniqueName("ev-created");
            String id = create("tester", name, "de/fra");
            EventStream.Received created = events.next(id, "registry.created");
            assertTrue(created.id().matches("[A-Za-z0-9_-]{20,}"), "an opaque id to resume from: " + created.id());
            assertEquals(name, created.data().get("name"));
            assertEquals("de/fra", created.data().get("location"));
            assertEquals("BUSY", created.data().get("state"));
            assertEquals("registry.created", created.message().getString("type"));
            EventStream.Received running = events.next(id, "registry.state-changed");
            assertEquals("RUNNING", running.data().get("state"));
            assertEquals("BUSY", running.data().get("previousState"));
        }
    }

    @Test
    void updatesAndDeletesAreStreamed() {
        try (EventStream events = EventStream.open("tester")) {
            String id = create("tester", uniqueName("ev-upd"), "de/fra");
            asUser().body(Map.of("apiSubnetAllowList", List.of("192.0.2.0/24")))
                    .patch("/registries/{id}", id).then().statusCode(200);
            events.next(id, "registry.updated");
            asUser().delete("/registries/{id}", id).then().statusCode(204);
            events.next(id, "registry.deleted");
        }
    }

    @Test
    void aChangeMadeOnAnotherDatabaseConnectionReachesTheSubscriber() {
        String id = create("tester", uniqueName("ev-other"), "de/fra");
        try (EventStream events = EventStream.open("tester")) {
            // what another instance does: it writes to the same database, not to this process
            database.update("update registry set state = 'FAILED' where id = $1::uuid", id);
            EventStream.Received changed = events.next(e -> id.equals(registryOf(e))
                    && "FAILED".equals(e.data().get("state")));
            assertEquals("registry.state-changed", changed.type());
        }
    }

    @Test
    void gcRunsAreStreamed() {
        String id = create("tester", uniqueName("ev-gc"), "de/fra");
        try (EventStream events = EventStream.open("tester")) {
            String run = asUser().body(Map.of("dryRun", true)).post("/registries/{id}/garbage-collections", id)
                    .then().statusCode(202).extract().path("id");
            EventStream.Received queued = events.next(id, "gc.run.queued");
            assertEquals(run, queued.data().get("runId"));
            assertEquals("MANUAL", queued.data().get("trigger"));
            // what an instance's GC poll does (it is off in tests)
            gc.runPending().await().atMost(java.time.Duration.ofSeconds(30));
            assertEquals("RUNNING", events.next(id, "gc.run.started").data().get("status"));
            EventStream.Received finished = events.next(id, "gc.run.finished");
            assertEquals("SUCCEEDED", finished.data().get("status"));
            assertEquals(run, finished.data().get("runId"));
        }
    }

    @Test
    void aScheduledRunsSlotIsWrittenAsEveryOtherTimeOfTheApi() {
        String id = create("tester", uniqueName("ev-slot"), "de/fra");
        try (EventStream events = EventStream.open("tester")) {
            // a run of a slot, as the scheduler records it
            database.update("insert into gc_run (id, registry_id, trigger, dry_run, status, scheduled_for, created_date,"
                    + " created_by) values (gen_random_uuid(), $1::uuid, 'SCHEDULED', false, 'QUEUED',"
                    + " '2026-11-28 01:23:00+00', now(), 'scheduler')", id);
            assertEquals("2026-11-28T01:23:00Z", events.next(id, "gc.run.queued").data().get("scheduledFor"));
        }
    }

    @Test
    void otherContractsAndLocationsOutsideTheCallersRightsAreNotStreamed() {
        try (EventStream stranger = EventStream.open("stranger"); EventStream editor = EventStream.open("editor")) {
            String hidden = create("tester", uniqueName("ev-txl"), "de/txl");
            String visible = create("tester", uniqueName("ev-fra"), "de/fra");
            String strangers = create("stranger", uniqueName("ev-own"), "de/fra");
            // events come in order: had the earlier ones been streamed, they would come first
            assertEquals(visible, registryOf(editor.next(e -> Set.of(hidden, visible).contains(registryOf(e)))));
            assertEquals(strangers,
                    registryOf(stranger.next(e -> Set.of(hidden, visible, strangers).contains(registryOf(e)))));
        }
    }

    @Test
    void aClientThatReconnectsWithLastEventIdReceivesWhatItMissed() {
        String first;
        try (EventStream events = EventStream.open("tester")) {
            String id = create("tester", uniqueName("ev-before"), "de/fra");
            first = events.next(id, "registry.created").id();
        }
        String missed1 = create("tester", uniqueName("ev-missed1"), "de/fra");
        String missed2 = create("tester", uniqueName("ev-missed2"), "de/fra");
        try (EventStream events = EventStream.open("tester", first)) {
            EventStream.Received one = events.next(missed1, "registry.created");
            EventStream.Received two = events.next(missed2, "registry.created");
            assertNotEquals(one.id(), two.id());
            // and then live
            String after = create("tester", uniqueName("ev-after"), "de/fra");
            events.next(after, "registry.created");
        }
    }

    /** A registry created while {@code heldUp} is not complete is streamed all the same; then it completes. */
    private static void aCreationIsStreamedWhileHeldUp(java.util.concurrent.CompletableFuture<Void> heldUp) {
        try (EventStream events = EventStream.open("tester")) {
            String id = create("tester", uniqueName("ev-held-up"), "de/fra");
            events.next(id, "registry.created");
        } finally {
            heldUp.complete(null);
        }
    }

    @Test
    void eventsKeepFlowingWhileTheBlobStoreIsSlowToDeleteBytes() throws Exception {
        // the feed reads only what every older transaction has finished: a deletion that held its queue's rows in a
        // transaction while the store worked (S3 retrying, a registry of a million objects) held every tenant's events
        String mine = java.util.UUID.randomUUID().toString();
        database.update("insert into storage_deletion (kind, registry_id, item) values ('REGISTRY', $1::uuid, $1)", mine);
        java.util.concurrent.CompletableFuture<Void> storeDone = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.CompletableFuture<?> drained = deletions.drain(1000, 0, batch -> io.smallrye.mutiny.Uni
                .createFrom().completionStage(storeDone.thenApply(v -> batch.stream()
                        // only this test's row is done; other tests' rows are left for the reclaimer
                        .map(queued -> queued.item().equals(mine)).toList())))
                .subscribeAsCompletionStage();
        aCreationIsStreamedWhileHeldUp(storeDone);
        drained.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(database.query("select 1 from storage_deletion where item = $1", mine).isEmpty());
    }

    @Test
    void eventsKeepFlowingWhileAPushPutsItsBytesInPlace() throws Exception {
        // an S3 store copies a blob from its upload to its key: seconds for a large layer, once inside a transaction
        String registry = create("tester", uniqueName("ev-placing"), "de/fra");
        java.util.concurrent.CompletableFuture<Void> placed = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.CompletableFuture<?> recorded = content.recordBlob(java.util.UUID.fromString(registry),
                "app", "sha256:" + "ab".repeat(32), 3, java.util.UUID.randomUUID(),
                io.smallrye.mutiny.Uni.createFrom().completionStage(placed)).subscribeAsCompletionStage();
        aCreationIsStreamedWhileHeldUp(placed);
        recorded.get(30, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Test
    void anUnknownLastEventIdStartsWithAGapNotice() {
        try (EventStream events = EventStream.open("tester", "999999999999")) {
            EventStream.Received gap = events.next(e -> "stream.gap".equals(e.type()));
            assertNull(gap.id(), "a notice must not move the client's Last-Event-ID");
            assertTrue(gap.data().get("reason").toString().contains("not in the log"));
        }
    }

    /** The first event a stream sends when resumed from {@code lastEventId}, with what it says. */
    private static String firstOfResumed(String user, String lastEventId) {
        try (EventStream events = EventStream.open(user, lastEventId)) {
            EventStream.Received first = events.next(e -> true);
            return first.type() + " " + first.data().get("reason");
        }
    }

    @Test
    void idsSayNothingAcrossContractsAndAnotherContractsIdIsJustUnknown() {
        String strangers;
        String earlier;
        try (EventStream stranger = EventStream.open("stranger"); EventStream mine = EventStream.open("tester")) {
            String theirs = create("stranger", uniqueName("ev-theirs"), "de/fra");
            strangers = stranger.next(theirs, "registry.created").id();
            String a = create("tester", uniqueName("ev-a"), "de/fra");
            earlier = mine.next(a, "registry.created").id();
        }
        assertFalse(strangers.matches("[0-9]+"), "not a count of the log's events: " + strangers);
        // resuming from another contract's id is what resuming from an id the log lost is: a gap, nothing more
        assertEquals(firstOfResumed("tester", "999999999999"), firstOfResumed("tester", strangers));
        create("tester", uniqueName("ev-b"), "de/fra");
        assertFalse(firstOfResumed("tester", earlier).startsWith("stream.gap"), "its own id resumes normally");
    }

    @Test
    void aQuietStreamGetsHeartbeatComments() {
        try (EventStream events = EventStream.open("tester")) {
            // every registry.events.heartbeat-interval (1 s in tests, 15 s by default)
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> events.comments() > 0);
        }
    }

    @Test
    void aMalformedLastEventIdIs400InTheErrorShape() {
        asUser().header("Last-Event-ID", "yester day!").accept("text/event-stream").get("/events").then()
                .statusCode(400)
                .body("messages[0].errorCode", equalTo("INVALID_PARAMETER"))
                .body("messages[0].message", containsString("Last-Event-ID"));
    }

    @Test
    void usersWithoutRegistryRightsCannotSubscribe() {
        as("datacenteronly").accept("text/event-stream").get("/events").then().statusCode(403)
                .body("httpStatus", equalTo(403));
        io.restassured.RestAssured.given().accept("text/event-stream").get("/events").then().statusCode(401);
    }

    @Test
    void oneUserMayHoldTenStreamsOnAnInstanceAndTheEleventhIs429UntilOneCloses() {
        List<EventStream> open = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                open.add(EventStream.open("streamer"));
            }
            as("streamer").accept("text/event-stream").get("/events").then().statusCode(429)
                    .header("Retry-After", org.hamcrest.Matchers.notNullValue())
                    .body("messages[0].errorCode", equalTo("TOO_MANY_REQUESTS"))
                    .body("messages[0].message", containsString("streamer"));
            // another user is not affected
            try (EventStream other = EventStream.open("tester")) {
                assertTrue(other != null);
            }
            open.remove(0).close();
            // the service notices the closed stream when it next writes to it (a heartbeat: 1 s in tests)
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> {
                try {
                    open.add(EventStream.open("streamer"));
                    return true;
                } catch (AssertionError stillFull) {
                    return false;
                }
            });
        } finally {
            open.forEach(EventStream::close);
        }
    }
}
