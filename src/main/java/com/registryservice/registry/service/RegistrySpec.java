package com.registryservice.registry.service;

import java.time.DayOfWeek;
import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What a client asks for on create or replace, before the rules are applied; {@code null} means "not given".
 * Serialised to fingerprint idempotent creates, so registered for native images.
 */
@RegisterForReflection(targets = { RegistrySpec.class, RegistrySpec.ScheduleInput.class })
public record RegistrySpec(String name, String location, ScheduleInput schedule, Boolean vulnerabilityScanning,
        List<String> apiSubnetAllowList) {

    /** A schedule as given: days possibly repeated, time as text. */
    public record ScheduleInput(List<DayOfWeek> days, String time) {
    }

    /** What a client asks to change with PATCH; {@code null} means "leave unchanged". */
    public record Patch(ScheduleInput schedule, Boolean vulnerabilityScanning, List<String> apiSubnetAllowList) {
    }
}
