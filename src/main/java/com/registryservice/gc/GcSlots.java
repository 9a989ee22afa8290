package com.registryservice.gc;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** The instants (UTC) at which a weekly GC schedule comes due. */
public final class GcSlots {

    private GcSlots() {
    }

    /** The first slot strictly after {@code after}. */
    public static Instant nextAfter(GcSchedule schedule, Instant after) {
        LocalDate day = LocalDate.ofInstant(after, ZoneOffset.UTC);
        // eight days: today may have passed its time, and the same weekday comes again a week later
        for (int i = 0; i <= 7; i++) {
            LocalDate candidate = day.plusDays(i);
            if (schedule.days().contains(candidate.getDayOfWeek())) {
                Instant slot = candidate.atTime(schedule.time()).toInstant(ZoneOffset.UTC);
                if (slot.isAfter(after)) {
                    return slot;
                }
            }
        }
        throw new IllegalArgumentException("a schedule without days has no slots");
    }

    /** The last slot at or before {@code atOrBefore}: the one a catch-up run stands for. */
    public static Instant latestAtOrBefore(GcSchedule schedule, Instant atOrBefore) {
        LocalDate day = LocalDate.ofInstant(atOrBefore, ZoneOffset.UTC);
        for (int i = 0; i <= 7; i++) {
            LocalDate candidate = day.minusDays(i);
            if (schedule.days().contains(candidate.getDayOfWeek())) {
                Instant slot = candidate.atTime(schedule.time()).toInstant(ZoneOffset.UTC);
                if (!slot.isAfter(atOrBefore)) {
                    return slot;
                }
            }
        }
        throw new IllegalArgumentException("a schedule without days has no slots");
    }
}
