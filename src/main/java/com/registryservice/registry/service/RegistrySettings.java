package com.registryservice.registry.service;

import java.util.List;

import com.registryservice.gc.GcSchedule;
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
     * Stores the settings in {@code registry}.
     *
     * @return whether the GC schedule changed (always, for a registry that had none): GC then computes the next slot
     *         afresh; an unchanged schedule keeps its next slot, so that a slot due right now is not lost
     */
    boolean applyTo(Registry registry) {
        boolean scheduleChanged = registry.gcTime == null || registry.gcDays != schedule.daysMask()
                || !schedule.time().equals(registry.gcTime);
        registry.name = name;
        registry.location = location;
        registry.gcDays = schedule.daysMask();
        registry.gcTime = schedule.time();
        registry.vulnerabilityScanning = vulnerabilityScanning;
        registry.apiSubnetAllowList = SubnetAllowList.toStored(apiSubnetAllowList);
        return scheduleChanged;
    }
}
