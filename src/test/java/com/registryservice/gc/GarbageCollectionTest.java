package com.registryservice.gc;

import static com.registryservice.support.Api.asUser;
import static com.registryservice.support.Api.awaitProvisioned;
import static com.registryservice.support.Api.create;
import static com.registryservice.support.Api.uniqueName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.registryservice.gc.service.Collector;
import com.registryservice.support.Database;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;

/**
 * The scheduler and the runs, driven directly (the periodic poll is off in tests) against the real database.
 * Every test works on registries of its own.
 */
@QuarkusTest
class GarbageCollectionTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    Collector gc;

    @Inject
    Database database;

    /** A provisioned registry (provisioning locks the row for a moment, and the scheduler skips locked rows). */
    private String registry(Map<String, Object> schedule) {
        String id = create(Map.of("name", uniqueName("gc"), "location", "de/fra", "garbageCollectionSchedule", schedule));
        awaitProvisioned(id);
        return id;
    }

    private String registry() {
        return registry(Map.of("days", List.of("Monday", "Thursday"), "time", "00:00:00Z"));
    }

    private void makeDue(String id, String since) {
        database.update("update gc_schedule set next_run = now() - cast($2::text as interval) where registry_id = $1::uuid", id, since);
    }

    private List<Row> runs(String id) {
        return database.query("select * from gc_run where registry_id = $1::uuid order by created_date", id);
    }

    private void scheduleAndRun() {
        gc.scheduleDueRuns().await().atMost(WAIT);
        gc.runPending().await().atMost(WAIT);
    }

    @Test
    void manyClaimersRacingOnSeparateConnectionsRecordExactlyOneRunPerSlot() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String id = registry();
            makeDue(id, "1 minute");
            ids.add(id);
        }
        List<Uni<Integer>> claimers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            claimers.add(gc.scheduleDueRuns());
        }
        Uni.join().all(claimers).andFailFast().await().atMost(WAIT);
        for (String id : ids) {
            List<Row> runs = runs(id);
            assertEquals(1, runs.size(), "runs of " + id);
            assertEquals("QUEUED", runs.get(0).getString("status"));
            assertEquals("SCHEDULED", runs.get(0).getString("trigger"));
        }
        // and the slot can never be recorded twice, whatever happens
        Row run = runs(ids.get(0)).get(0);
        boolean refused = false;
        try {
            database.update("insert into gc_run (id, registry_id, trigger, dry_run, status, scheduled_for, created_date,"
                    + " created_by) values (gen_random_uuid(), $1::uuid, 'SCHEDULED', false, 'SUCCEEDED', $2, now(), 'x')",
                    ids.get(0), run.getOffsetDateTime("scheduled_for"));
        } catch (RuntimeException e) {
            refused = true;
        }
        assertTrue(refused, "the unique (registry, slot) constraint refuses a second run of a slot");
    }

    @Test
    void slotsMissedWhileNoInstanceRanCoalesceIntoOneCatchUpRunForTheLatestSlot() {
        String id = registry();
        makeDue(id, "21 days");
        gc.scheduleDueRuns().await().atMost(WAIT);
        Instant now = Instant.now();
        GcSchedule schedule = new GcSchedule(Set.of(DayOfWeek.MONDAY, DayOfWeek.THURSDAY), LocalTime.MIDNIGHT);
        List<Row> runs = runs(id);
        assertEquals(1, runs.size());
        assertEquals(GcSlots.latestAtOrBefore(schedule, now), runs.get(0).getOffsetDateTime("scheduled_for").toInstant());
        Instant next = database.query("select next_run as gc_next_run from gc_schedule where registry_id = $1::uuid", id).get(0)
                .getOffsetDateTime(0).toInstant();
        assertEquals(GcSlots.nextAfter(schedule, now), next);
    }

    @Test
    void aSlotThatComesDueWhileARunIsGoingIsRecordedSkipped() {
        String id = registry();
        UUID active = UUID.randomUUID();
        database.update("insert into gc_run (id, registry_id, trigger, dry_run, status, created_date, created_by,"
                + " started_at, lease_owner, lease_until) values ($1::uuid, $2::uuid, 'MANUAL', false, 'RUNNING', now(),"
                + " 'tester', now(), 'another-instance', now() + interval '10 minutes')", active.toString(), id);
        makeDue(id, "1 minute");
        gc.scheduleDueRuns().await().atMost(WAIT);
        List<Row> runs = runs(id);
        assertEquals(2, runs.size());
        Row skipped = runs.get(1);
        assertEquals("SKIPPED", skipped.getString("status"));
        assertTrue(skipped.getString("message").contains(active.toString()), skipped.getString("message"));
        // the run that holds a valid lease is left to its instance
        gc.runPending().await().atMost(WAIT);
        assertEquals("RUNNING", runs(id).get(0).getString("status"));
        assertEquals("another-instance", runs(id).get(0).getString("lease_owner"));
    }

    @Test
    void aRunWhoseInstanceDiedIsTakenOverAfterItsLeaseExpired() {
        String id = registry();
        String run = UUID.randomUUID().toString();
        database.update("insert into gc_run (id, registry_id, trigger, dry_run, status, scheduled_for, created_date,"
                + " created_by, started_at, lease_owner, lease_until) values ($1::uuid, $2::uuid, 'SCHEDULED', false,"
                + " 'RUNNING', now() - interval '20 minutes', now() - interval '20 minutes', 'scheduler',"
                + " now() - interval '20 minutes', 'dead-instance', now() - interval '10 minutes')", run, id);
        gc.runPending().await().atMost(WAIT);
        Row done = runs(id).get(0);
        assertEquals("SUCCEEDED", done.getString("status"));
        assertNull(done.getString("lease_owner"));
        assertTrue(done.getOffsetDateTime("finished_at") != null);
    }

    @Test
    void aDeletedRegistryNeverRunsAgain() {
        String id = registry();
        makeDue(id, "1 minute");
        gc.scheduleDueRuns().await().atMost(WAIT);
        asUser().delete("/registries/{id}", id).then().statusCode(204);
        scheduleAndRun();
        assertEquals(0, runs(id).size());
        assertEquals(0, database.query("select 1 from registry where id = $1::uuid", id).size());
    }

    @Test
    void aScheduleChangeTakesEffectAtOnce() {
        String id = registry();
        makeDue(id, "1 minute");
        gc.scheduleDueRuns().await().atMost(WAIT);
        assertEquals("QUEUED", runs(id).get(0).getString("status"));
        asUser().body(Map.of("garbageCollectionSchedule", Map.of("days", List.of("Saturday"), "time", "05:06:07Z")))
                .patch("/registries/{id}", id).then().statusCode(200);
        // the queued run of the old schedule never starts
        assertEquals("SKIPPED", runs(id).get(0).getString("status"));
        gc.runPending().await().atMost(WAIT);
        assertEquals("SKIPPED", runs(id).get(0).getString("status"));
        // the next slot is the new schedule's, and users see it
        Instant expected = GcSlots.nextAfter(new GcSchedule(Set.of(DayOfWeek.SATURDAY), LocalTime.of(5, 6, 7)),
                Instant.now());
        String shown = asUser().get("/registries/{id}/garbage-collections", id).then().statusCode(200).extract()
                .path("nextScheduledRun");
        assertEquals(expected, Instant.parse(shown));
        gc.scheduleDueRuns().await().atMost(WAIT);
        assertEquals(1, runs(id).size(), "nothing is due under the new schedule");
    }

    @Test
    void anUnchangedScheduleKeepsADueSlot() {
        String id = registry();
        makeDue(id, "1 second");
        String name = asUser().get("/registries/{id}", id).then().extract().path("properties.name");
        asUser().body(Map.of("properties", Map.of("name", name, "location", "de/fra", "garbageCollectionSchedule",
                Map.of("days", List.of("Thursday", "Monday"), "time", "00:00:00+00:00"))))
                .put("/registries/{id}", id).then().statusCode(200);
        // provisioning holds the row for a moment after a replace; the scheduler skips locked rows until the next poll
        awaitProvisioned(id);
        gc.scheduleDueRuns().await().atMost(WAIT);
        assertEquals(1, runs(id).size(), "a replace with the same schedule does not lose the due slot");
    }

    @Test
    void runsAreTimedInUtcAndFinishWithTheirTimes() {
        String id = registry();
        makeDue(id, "1 minute");
        scheduleAndRun();
        Row run = runs(id).get(0);
        assertEquals("SUCCEEDED", run.getString("status"));
        Instant started = run.getOffsetDateTime("started_at").toInstant();
        Instant finished = run.getOffsetDateTime("finished_at").toInstant();
        assertTrue(!finished.isBefore(started));
        assertTrue(Duration.between(started, Instant.now()).abs().compareTo(Duration.ofMinutes(1)) < 0);
        assertEquals(0, run.getOffsetDateTime("scheduled_for").getSecond());
        assertTrue(run.getOffsetDateTime("scheduled_for").toInstant().isBefore(Instant.now().plus(1, ChronoUnit.SECONDS)));
    }
}
