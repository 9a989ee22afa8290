package com.registryservice.registry.service;

import java.util.List;

import com.registryservice.registry.Registry;

/** The settings of a registry after validation and normalisation: what is stored. */
public record RegistrySettings(String name, String location, GcSchedule schedule, boolean vulnerabilityScanning,
        List<String> apiSubnetAllowList) {

    static RegistrySettings of(Registry registry) {
        return new RegistrySettings(registry.name, registry.location,
                GcSchedule.fromStored(registry.gcDays, registry.gcTime), registry.vulnerabilityScanning,
                SubnetAllowList.fromStored(registry.apiSubnetAllowList));
    }

    /**
     * Stores the settings in {@code registry}. A changed schedule applies at once: the next GC slot is computed
     * afresh from {@code now}; an unchanged one keeps its next slot, so that a slot due right now is not lost.
     *
     * @return whether the schedule changed
     */
    boolean applyTo(Registry registry, java.time.Instant now) {
        boolean scheduleChanged = registry.gcNextRun == null || registry.gcDays != schedule.daysMask()
                || !schedule.time().equals(registry.gcTime);
        if (scheduleChanged) {
            registry.gcNextRun = GcSlots.nextAfter(schedule, now);
        }
        registry.name = name;
        registry.location = location;
        registry.gcDays = schedule.daysMask();
        registry.gcTime = schedule.time();
        registry.vulnerabilityScanning = vulnerabilityScanning;
        registry.apiSubnetAllowList = SubnetAllowList.toStored(apiSubnetAllowList);
        return scheduleChanged;
    }
}
