package com.registryservice.registry.service;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import com.registryservice.gc.GcSchedule;
import com.registryservice.gc.GcSlots;
import com.registryservice.api.ErrorCode;
import com.registryservice.api.FieldErrors;
import com.registryservice.registry.RegistryConfig;

import io.quarkus.runtime.Startup;

/**
 * The rules a registry's settings obey, in one place: each violation becomes a 400 that names the field and the
 * value, and all violations of a request are reported together. Made at start, so that a default schedule that
 * breaks them stops the service with its message instead of failing every create.
 */
@Startup
@ApplicationScoped
public class RegistryRules {

    /** 3 to 63 characters of a-z, 0-9 and '-', starting with a letter and ending with a letter or digit. */
    public static final String NAME_PATTERN = "^[a-z][-a-z0-9]{1,61}[a-z0-9]$";
    public static final String NAME_RULE = "must be 3 to 63 characters of a-z, 0-9 and '-', start with a letter and"
            + " end with a letter or digit";
    private static final Pattern NAME = Pattern.compile(NAME_PATTERN);

    private final List<String> locations;
    private final GcSchedule defaultSchedule;

    public RegistryRules(RegistryConfig config) {
        this.locations = List.copyOf(config.locations());
        this.defaultSchedule = defaultSchedule(config.defaultGcSchedule());
    }

    public List<String> locations() {
        return locations;
    }

    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** The settings of a new registry; omitted optional fields take their defaults. */
    public RegistrySettings forCreate(RegistrySpec spec) {
        FieldErrors errors = new FieldErrors();
        RegistrySettings settings = settings(spec, errors);
        errors.throwIfAny();
        return settings;
    }

    /** The settings that replace {@code current}: a replace, not a merge, but name and location cannot change. */
    public RegistrySettings forReplace(RegistrySettings current, RegistrySpec spec) {
        FieldErrors errors = new FieldErrors();
        RegistrySettings settings = settings(spec, errors);
        if (spec.name() != null && !spec.name().equals(current.name())) {
            errors.add(ErrorCode.FIELD_NOT_CHANGEABLE, "properties.name", "cannot be changed: it is "
                    + FieldErrors.quote(current.name()) + ", not " + FieldErrors.quote(spec.name()));
        }
        if (spec.location() != null && !spec.location().equals(current.location())) {
            errors.add(ErrorCode.FIELD_NOT_CHANGEABLE, "properties.location", "cannot be changed: it is "
                    + FieldErrors.quote(current.location()) + ", not " + FieldErrors.quote(spec.location()));
        }
        checkScanningNotTurnedOff(current, settings.vulnerabilityScanning(),
                "properties.features.vulnerabilityScanning.enabled", errors);
        errors.throwIfAny();
        return settings;
    }

    /** {@code current} with the fields present in {@code patch} changed. */
    public RegistrySettings forPatch(RegistrySettings current, RegistrySpec.Patch patch) {
        FieldErrors errors = new FieldErrors();
        GcSchedule schedule = patch.schedule() == null ? current.schedule()
                : schedule(patch.schedule(), "garbageCollectionSchedule", errors);
        boolean scanning = patch.vulnerabilityScanning() == null ? current.vulnerabilityScanning()
                : patch.vulnerabilityScanning();
        checkScanningNotTurnedOff(current, scanning, "features.vulnerabilityScanning.enabled", errors);
        List<String> allowList = patch.apiSubnetAllowList() == null ? current.apiSubnetAllowList()
                : SubnetAllowList.canonical(patch.apiSubnetAllowList(), "apiSubnetAllowList", errors);
        errors.throwIfAny();
        return new RegistrySettings(current.name(), current.location(), schedule, scanning, allowList);
    }

    private RegistrySettings settings(RegistrySpec spec, FieldErrors errors) {
        if (spec.name() == null) {
            errors.invalid("properties.name", "is required: " + NAME_RULE.replaceFirst("^must", "it must"));
        } else if (!isValidName(spec.name())) {
            errors.invalid("properties.name", FieldErrors.quote(spec.name()) + " " + NAME_RULE);
        }
        if (spec.location() == null) {
            errors.invalid("properties.location", "is required: one of " + String.join(", ", locations));
        } else if (!locations.contains(spec.location())) {
            errors.invalid("properties.location", FieldErrors.quote(spec.location()) + " is not a location; use one of "
                    + String.join(", ", locations));
        }
        GcSchedule schedule = spec.schedule() == null ? defaultSchedule
                : schedule(spec.schedule(), "properties.garbageCollectionSchedule", errors);
        boolean scanning = spec.vulnerabilityScanning() == null || spec.vulnerabilityScanning();
        List<String> allowList = spec.apiSubnetAllowList() == null ? List.of()
                : SubnetAllowList.canonical(spec.apiSubnetAllowList(), "properties.apiSubnetAllowList", errors);
        return new RegistrySettings(spec.name(), spec.location(), schedule, scanning, allowList);
    }

    private static GcSchedule schedule(RegistrySpec.ScheduleInput input, String field, FieldErrors errors) {
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        if (input.days() == null || input.days().isEmpty()) {
            errors.invalid(field + ".days", "must name at least one day (Monday … Sunday)");
        } else if (input.days().size() > 7) {
            // refused before looking at each entry: no work, and no answer, grows with a hostile list
            errors.invalid(field + ".days", "has " + input.days().size() + " entries; a week has 7 days, each named"
                    + " at most once");
        } else {
            for (int i = 0; i < input.days().size(); i++) {
                DayOfWeek day = input.days().get(i);
                if (day == null) {
                    errors.invalid(field + ".days[" + i + "]", "must be a day of the week (Monday … Sunday), not null");
                } else if (!days.add(day)) {
                    errors.invalid(field + ".days", "names " + dayName(day) + " more than once");
                }
            }
        }
        LocalTime time = LocalTime.MIDNIGHT;
        if (input.time() == null) {
            errors.invalid(field + ".time", "is required (a time of day in UTC, such as '01:23:00+00:00')");
        } else {
            GcSchedule.ParsedTime parsed = GcSchedule.parseTime(input.time());
            if (parsed.time().isPresent()) {
                time = parsed.time().get();
            } else {
                errors.invalid(field + ".time", FieldErrors.quote(input.time()) + " " + parsed.problem());
            }
        }
        return new GcSchedule(days, time);
    }

    private static void checkScanningNotTurnedOff(RegistrySettings current, boolean requested, String field,
            FieldErrors errors) {
        if (current.vulnerabilityScanning() && !requested) {
            errors.add(ErrorCode.FIELD_NOT_CHANGEABLE, field,
                    "vulnerability scanning cannot be turned off once it is enabled");
        }
    }

    private static GcSchedule defaultSchedule(RegistryConfig.DefaultGcSchedule config) {
        FieldErrors errors = new FieldErrors();
        List<DayOfWeek> days = config.days().stream().map(RegistryRules::parseDay).toList();
        GcSchedule schedule = schedule(new RegistrySpec.ScheduleInput(days, config.time()),
                "registry.default-gc-schedule", errors);
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("registry.default-gc-schedule is invalid: time " + config.time()
                    + " must be an RFC 3339 time in UTC such as 01:23:00+00:00, days distinct");
        }
        return schedule;
    }

    private static DayOfWeek parseDay(String name) {
        try {
            return DayOfWeek.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("registry.default-gc-schedule.days: '" + name + "' is not a day of the week",
                    e);
        }
    }

    /** The English name the API uses for a day: Monday … Sunday. */
    public static String dayName(DayOfWeek day) {
        String upper = day.name();
        return upper.charAt(0) + upper.substring(1).toLowerCase(Locale.ROOT);
    }
}
