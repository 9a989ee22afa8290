package com.registryservice.registry.rest;

import java.net.URI;
import java.util.List;
import java.util.Optional;

import jakarta.ws.rs.core.UriBuilder;

import com.registryservice.api.Listing;
import com.registryservice.api.Page;
import com.registryservice.registry.Registry;
import com.registryservice.registry.rest.RegistryModels.Day;
import com.registryservice.gc.GcSchedule;
import com.registryservice.registry.service.RegistrySpec;
import com.registryservice.registry.service.SubnetAllowList;

/** Maps between the wire format and the service: the one place where registries cross that line. */
final class RegistryMapper {

    private RegistryMapper() {
    }

    static RegistrySpec toSpec(RegistryModels.PropertiesInput in) {
        Boolean scanning = in.features() == null || in.features().vulnerabilityScanning() == null ? null
                : in.features().vulnerabilityScanning().enabled();
        return new RegistrySpec(in.name(), in.location(), toSchedule(in.garbageCollectionSchedule()), scanning,
                in.apiSubnetAllowList());
    }

    static RegistrySpec.Patch toPatch(RegistryModels.PatchInput in) {
        Boolean scanning = in.features() == null || in.features().vulnerabilityScanning() == null ? null
                : in.features().vulnerabilityScanning().enabled();
        return new RegistrySpec.Patch(toSchedule(in.garbageCollectionSchedule()), scanning, in.apiSubnetAllowList());
    }

    private static RegistrySpec.ScheduleInput toSchedule(RegistryModels.WeeklySchedule in) {
        if (in == null) {
            return null;
        }
        return new RegistrySpec.ScheduleInput(in.days() == null ? null
                : in.days().stream().map(d -> d == null ? null : d.toDayOfWeek()).toList(), in.time());
    }

    static URI location(URI base, Registry registry) {
        return UriBuilder.fromUri(base).path("registries").path(registry.id.toString()).build();
    }

    static RegistryModels.RegistryResponse toResponse(URI base, Registry r) {
        GcSchedule schedule = GcSchedule.fromStored(r.gcDays, r.gcTime);
        List<Day> days = schedule.days().stream().map(Day::of).toList();
        return new RegistryModels.RegistryResponse(r.id, "registry", location(base, r).toString(),
                new RegistryModels.Metadata(r.createdBy, r.createdByUserId, r.createdDate, r.lastModifiedBy,
                        r.lastModifiedByUserId, r.lastModifiedDate, r.state.name()),
                new RegistryModels.Properties(r.name, r.location, r.hostname,
                        new RegistryModels.WeeklySchedule(days, schedule.formattedTime()),
                        new RegistryModels.Features(new RegistryModels.VulnerabilityScanning(r.vulnerabilityScanning)),
                        SubnetAllowList.fromStored(r.apiSubnetAllowList),
                        new RegistryModels.StorageUsage(r.storageBytes == null ? 0 : r.storageBytes, r.storageUpdatedAt)));
    }

    static RegistryModels.RegistriesResponse toList(URI base, URI self, Optional<String> filter,
            Listing<Registry> listing) {
        URI collection = UriBuilder.fromUri(base).path("registries").build();
        Optional<Page.Filter> nameFilter = filter.map(f -> new Page.Filter("filter.name", f));
        return new RegistryModels.RegistriesResponse("registries", "collection", collection.toString(),
                listing.items().stream().map(r -> toResponse(base, r)).toList(), listing.pagination(),
                listing.links(collection, nameFilter, self));
    }
}
