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

    void applyTo(Registry registry) {
        registry.name = name;
        registry.location = location;
        registry.gcDays = schedule.daysMask();
        registry.gcTime = schedule.time();
        registry.vulnerabilityScanning = vulnerabilityScanning;
        registry.apiSubnetAllowList = SubnetAllowList.toStored(apiSubnetAllowList);
    }
}
