package com.registryservice.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.EnumSet;

import org.junit.jupiter.api.Test;


class GcScheduleTest {

    @Test
    void daysSurviveTheStoredBitSet() {
        for (int mask = 1; mask < 128; mask++) {
            GcSchedule schedule = GcSchedule.fromStored((short) mask, LocalTime.NOON);
            assertEquals(mask, schedule.daysMask());
        }
        assertEquals(64, new GcSchedule(EnumSet.of(DayOfWeek.SUNDAY), LocalTime.NOON).daysMask());
        assertEquals(1, new GcSchedule(EnumSet.of(DayOfWeek.MONDAY), LocalTime.NOON).daysMask());
    }

    @Test
    void timesAreFormattedAsUtcPartialTime() {
        assertEquals("00:00:00+00:00", new GcSchedule(EnumSet.of(DayOfWeek.MONDAY), LocalTime.MIDNIGHT).formattedTime());
        assertEquals("23:59:59+00:00",
                new GcSchedule(EnumSet.of(DayOfWeek.MONDAY), LocalTime.of(23, 59, 59)).formattedTime());
    }

    @Test
    void parsingAcceptsUtcOnly() {
        assertEquals(LocalTime.of(1, 23), GcSchedule.parseTime("01:23:00z").time().orElseThrow());
        assertTrue(GcSchedule.parseTime("01:23:00+00:01").problem().contains("UTC"));
        assertTrue(GcSchedule.parseTime("24:00:00Z").time().isEmpty());
        // without an offset (as the IONOS SDK's documentation writes it): UTC
        assertEquals(LocalTime.of(1, 0), GcSchedule.parseTime("01:00:00").time().orElseThrow());
    }
}
