package com.registryservice.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Set;

import com.registryservice.registry.service.GcSchedule;
import com.registryservice.registry.service.GcSlots;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The next-slot computation, over arbitrary schedules and moments (several days, week wraps, earlier today). */
class GcSlotsPropertiesTest {

    @Provide
    Arbitrary<GcSchedule> schedules() {
        Arbitrary<Set<DayOfWeek>> days = Arbitraries.of(DayOfWeek.values()).set().ofMinSize(1);
        Arbitrary<LocalTime> times = Combinators.combine(Arbitraries.integers().between(0, 23),
                Arbitraries.integers().between(0, 59), Arbitraries.integers().between(0, 59)).as(LocalTime::of);
        return Combinators.combine(days, times).as(GcSchedule::new);
    }

    @Provide
    Arbitrary<Instant> moments() {
        // 2020 … 2035, to the second, including exact slot times often enough through the edge cases
        return Arbitraries.longs().between(1_577_836_800L, 2_082_758_400L).map(Instant::ofEpochSecond);
    }

    /** Whether {@code instant} is a slot of the schedule. */
    private static boolean isSlot(GcSchedule schedule, Instant instant) {
        var utc = instant.atOffset(ZoneOffset.UTC);
        return schedule.days().contains(utc.getDayOfWeek()) && utc.toLocalTime().equals(schedule.time());
    }

    @Property
    void theNextSlotIsASlotStrictlyAfterAndNoSlotLiesBetween(@ForAll("schedules") GcSchedule schedule,
            @ForAll("moments") Instant now) {
        Instant next = GcSlots.nextAfter(schedule, now);
        assertTrue(next.isAfter(now));
        assertTrue(isSlot(schedule, next));
        assertTrue(!next.isAfter(now.plus(7, ChronoUnit.DAYS)), "a weekly schedule comes within a week");
        // every candidate slot strictly between now and next would be on one of the days in between
        for (Instant day = now.truncatedTo(ChronoUnit.DAYS); day.isBefore(next); day = day.plus(1, ChronoUnit.DAYS)) {
            Instant candidate = day.atOffset(ZoneOffset.UTC).with(schedule.time()).toInstant();
            if (candidate.isAfter(now) && candidate.isBefore(next)) {
                assertFalse(isSlot(schedule, candidate), "slot " + candidate + " lies between " + now + " and " + next);
            }
        }
    }

    @Property
    void theLatestSlotIsAtOrBeforeAndTheNextOneAfterIt(@ForAll("schedules") GcSchedule schedule,
            @ForAll("moments") Instant now) {
        Instant latest = GcSlots.latestAtOrBefore(schedule, now);
        assertTrue(!latest.isAfter(now));
        assertTrue(isSlot(schedule, latest));
        assertTrue(GcSlots.nextAfter(schedule, latest).isAfter(now), "no slot between the latest and now");
    }

    @Property
    void aSlotMomentIsItsOwnLatestAndNotItsNext(@ForAll("schedules") GcSchedule schedule, @ForAll("moments") Instant t) {
        Instant slot = GcSlots.nextAfter(schedule, t);
        assertEquals(slot, GcSlots.latestAtOrBefore(schedule, slot));
        assertTrue(GcSlots.nextAfter(schedule, slot).isAfter(slot));
    }

    @Example
    void aTimeEarlierTodayMeansNextWeek() {
        // Thursday 2026-11-26 12:00 UTC; schedule: Thursdays 01:23
        GcSchedule thursdays = new GcSchedule(Set.of(DayOfWeek.THURSDAY), LocalTime.of(1, 23));
        assertEquals(Instant.parse("2026-12-03T01:23:00Z"),
                GcSlots.nextAfter(thursdays, Instant.parse("2026-11-26T12:00:00Z")));
    }

    @Example
    void theWeekWrapsFromSundayToMonday() {
        GcSchedule mondays = new GcSchedule(Set.of(DayOfWeek.MONDAY), LocalTime.of(0, 0));
        assertEquals(Instant.parse("2026-11-30T00:00:00Z"),
                GcSlots.nextAfter(mondays, Instant.parse("2026-11-29T23:59:59Z")));
    }

    @Example
    void severalDaysTakeTheNearest() {
        GcSchedule days = new GcSchedule(Set.of(DayOfWeek.MONDAY, DayOfWeek.FRIDAY, DayOfWeek.SATURDAY),
                LocalTime.of(3, 0));
        assertEquals(Instant.parse("2026-11-27T03:00:00Z"),
                GcSlots.nextAfter(days, Instant.parse("2026-11-26T12:00:00Z")));
        assertEquals(Instant.parse("2026-11-23T03:00:00Z"),
                GcSlots.latestAtOrBefore(days, Instant.parse("2026-11-26T12:00:00Z")));
    }
}
