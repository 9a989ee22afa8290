package com.registryservice.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.registryservice.support.Gen;

/** The next-slot computation, over arbitrary schedules and moments (several days, week wraps, earlier today). */
class GcSlotsPropertiesTest {

    private static final int TRIES = 1000;

    /** Any weekly schedule: at least one day, any second of the day. */
    private static GcSchedule schedule(Gen gen) {
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        days.add(gen.oneOf(DayOfWeek.values()));
        for (DayOfWeek day : DayOfWeek.values()) {
            if (gen.chance(0.3)) {
                days.add(day);
            }
        }
        return new GcSchedule(days, LocalTime.of(gen.between(0, 23), gen.between(0, 59), gen.between(0, 59)));
    }

    /**
     * A moment from 2020 to 2035, to the second; often a slot of {@code schedule} itself or a second beside one, the
     * edge cases of the computation.
     */
    private static Instant moment(Gen gen, GcSchedule schedule) {
        Instant any = Instant.ofEpochSecond(gen.between(1_577_836_800L, 2_082_758_400L));
        if (gen.chance(0.6)) {
            return any;
        }
        Instant slotThatDay = any.atOffset(ZoneOffset.UTC).with(schedule.time()).toInstant();
        return slotThatDay.plusSeconds(gen.oneOf(-1, 0, 0, 1));
    }

    /** Whether {@code instant} is a slot of the schedule. */
    private static boolean isSlot(GcSchedule schedule, Instant instant) {
        var utc = instant.atOffset(ZoneOffset.UTC);
        return schedule.days().contains(utc.getDayOfWeek()) && utc.toLocalTime().equals(schedule.time());
    }

    @Test
    void theNextSlotIsASlotStrictlyAfterAndNoSlotLiesBetween() {
        Gen.check("next slot", TRIES, gen -> {
            GcSchedule schedule = schedule(gen);
            Instant now = moment(gen, schedule);
            theNextSlotIsASlotStrictlyAfterAndNoSlotLiesBetween(schedule, now);
        });
    }

    private static void theNextSlotIsASlotStrictlyAfterAndNoSlotLiesBetween(GcSchedule schedule, Instant now) {
        Instant next = GcSlots.nextAfter(schedule, now);
        assertTrue(next.isAfter(now), schedule + " at " + now + ": " + next);
        assertTrue(isSlot(schedule, next), schedule + " at " + now + ": " + next);
        assertTrue(!next.isAfter(now.plus(7, ChronoUnit.DAYS)), "a weekly schedule comes within a week");
        // every candidate slot strictly between now and next would be on one of the days in between
        for (Instant day = now.truncatedTo(ChronoUnit.DAYS); day.isBefore(next); day = day.plus(1, ChronoUnit.DAYS)) {
            Instant candidate = day.atOffset(ZoneOffset.UTC).with(schedule.time()).toInstant();
            if (candidate.isAfter(now) && candidate.isBefore(next)) {
                assertFalse(isSlot(schedule, candidate), "slot " + candidate + " lies between " + now + " and " + next);
            }
        }
    }

    @Test
    void theLatestSlotIsAtOrBeforeAndTheNextOneAfterIt() {
        Gen.check("latest slot", TRIES, gen -> {
            GcSchedule schedule = schedule(gen);
            Instant now = moment(gen, schedule);
            Instant latest = GcSlots.latestAtOrBefore(schedule, now);
            assertTrue(!latest.isAfter(now), schedule + " at " + now + ": " + latest);
            assertTrue(isSlot(schedule, latest), schedule + " at " + now + ": " + latest);
            assertTrue(GcSlots.nextAfter(schedule, latest).isAfter(now), "no slot between the latest and now");
        });
    }

    @Test
    void aSlotMomentIsItsOwnLatestAndNotItsNext() {
        Gen.check("slot moment", TRIES, gen -> {
            GcSchedule schedule = schedule(gen);
            Instant slot = GcSlots.nextAfter(schedule, moment(gen, schedule));
            assertEquals(slot, GcSlots.latestAtOrBefore(schedule, slot));
            assertTrue(GcSlots.nextAfter(schedule, slot).isAfter(slot));
        });
    }

    @Test
    void aTimeEarlierTodayMeansNextWeek() {
        // Thursday 2026-11-26 12:00 UTC; schedule: Thursdays 01:23
        GcSchedule thursdays = new GcSchedule(Set.of(DayOfWeek.THURSDAY), LocalTime.of(1, 23));
        assertEquals(Instant.parse("2026-12-03T01:23:00Z"),
                GcSlots.nextAfter(thursdays, Instant.parse("2026-11-26T12:00:00Z")));
    }

    @Test
    void theWeekWrapsFromSundayToMonday() {
        GcSchedule mondays = new GcSchedule(Set.of(DayOfWeek.MONDAY), LocalTime.of(0, 0));
        assertEquals(Instant.parse("2026-11-30T00:00:00Z"),
                GcSlots.nextAfter(mondays, Instant.parse("2026-11-29T23:59:59Z")));
    }

    @Test
    void severalDaysTakeTheNearest() {
        GcSchedule days = new GcSchedule(Set.of(DayOfWeek.MONDAY, DayOfWeek.FRIDAY, DayOfWeek.SATURDAY),
                LocalTime.of(3, 0));
        assertEquals(Instant.parse("2026-11-27T03:00:00Z"),
                GcSlots.nextAfter(days, Instant.parse("2026-11-26T12:00:00Z")));
        assertEquals(Instant.parse("2026-11-23T03:00:00Z"),
                GcSlots.latestAtOrBefore(days, Instant.parse("2026-11-26T12:00:00Z")));
    }
}
