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

    /**
     * The registries' collection URL: built once per response, and each registry's own URL by appending its id (a
     * UUID needs no encoding), because building each through a {@code UriBuilder} was a fifth of a listing's CPU.
     */
    private static String collection(URI base) {
        return UriBuilder.fromUri(base).path("registries").build().toString();
    }

    static URI location(URI base, Registry registry) {
        return URI.create(collection(base) + "/" + registry.id);
    }

    static RegistryModels.RegistryResponse toResponse(URI base, Registry r) {
        return toResponse(collection(base), r);
    }

    private static RegistryModels.RegistryResponse toResponse(String collection, Registry r) {
        GcSchedule schedule = GcSchedule.fromStored(r.gcDays, r.gcTime);
        List<Day> days = schedule.days().stream().map(Day::of).toList();
        return new RegistryModels.RegistryResponse(r.id, "registry", collection + "/" + r.id,
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
        String collection = collection(base);
        Optional<Page.Filter> nameFilter = filter.map(f -> new Page.Filter("filter.name", f));
        return new RegistryModels.RegistriesResponse("registries", "collection", collection,
                listing.items().stream().map(r -> toResponse(collection, r)).toList(), listing.pagination(),
                listing.links(URI.create(collection), nameFilter, self));
    }
}
