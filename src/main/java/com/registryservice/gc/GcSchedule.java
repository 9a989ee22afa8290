package com.registryservice.gc;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A weekly garbage-collection schedule: days of the week and a time of day, always in UTC. */
public record GcSchedule(Set<DayOfWeek> days, LocalTime time) {

    /**
     * RFC 3339 partial-time {@code HH:MM:SS[.frac](Z|±HH:MM)}; without an offset (the form the IONOS SDK's
     * documentation gives, {@code 01:00:00}) the time is taken as UTC, which the schedule is anyway.
     */
    private static final Pattern PARTIAL_TIME = Pattern
            .compile("^([01]\\d|2[0-3]):([0-5]\\d):([0-5]\\d)(\\.\\d{1,9})?(Z|z|[+-]\\d{2}:\\d{2})?$");
    private static final DateTimeFormatter HH_MM_SS = DateTimeFormatter.ofPattern("HH:mm:ss");

    public GcSchedule {
        days = days.isEmpty() ? EnumSet.noneOf(DayOfWeek.class) : EnumSet.copyOf(days);
    }

    /** The days as stored: Monday = bit 0 … Sunday = bit 6. */
    public short daysMask() {
        int mask = 0;
        for (DayOfWeek day : days) {
            mask |= 1 << (day.getValue() - 1);
        }
        return (short) mask;
    }

    public static GcSchedule fromStored(short mask, LocalTime time) {
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (DayOfWeek day : DayOfWeek.values()) {
            if ((mask & (1 << (day.getValue() - 1))) != 0) {
                days.add(day);
            }
        }
        return new GcSchedule(days, time);
    }

    /** The time as the API returns it: {@code HH:MM:SS+00:00}. */
    public String formattedTime() {
        return time.format(HH_MM_SS) + "+00:00";
    }

    /**
     * Parses an RFC 3339 partial-time in UTC.
     *
     * @return the time, or a sentence saying what is wrong with {@code text}
     */
    public static ParsedTime parseTime(String text) {
        Matcher m = PARTIAL_TIME.matcher(text);
        if (!m.matches()) {
            return ParsedTime.problem("must be an RFC 3339 time of day in UTC, such as '01:23:00+00:00' or '01:23:00Z'");
        }
        String offset = m.group(5) == null ? "Z" : m.group(5);
        if (!offset.equalsIgnoreCase("Z") && !offset.equals("+00:00") && !offset.equals("-00:00")) {
            return ParsedTime.problem("the schedule is in UTC: give the time with offset +00:00 or Z, not " + offset
                    + " (convert it to UTC first)");
        }
        String fraction = m.group(4);
        if (fraction != null && !fraction.matches("\\.0+")) {
            return ParsedTime.problem("must be a whole second (fractions of a second are not supported)");
        }
        return new ParsedTime(Optional.of(LocalTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)))), null);
    }

    /** The outcome of {@link #parseTime}: a time, or why there is none. */
    public record ParsedTime(Optional<LocalTime> time, String problem) {
        static ParsedTime problem(String problem) {
            return new ParsedTime(Optional.empty(), problem);
        }
    }
}
