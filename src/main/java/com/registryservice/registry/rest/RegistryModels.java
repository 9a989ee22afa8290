package com.registryservice.registry.rest;

import java.time.DayOfWeek;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.registryservice.api.Links;
import com.registryservice.api.Pagination;
import com.registryservice.registry.service.RegistryRules;
import com.registryservice.security.RegistryLocations;
import com.registryservice.registry.service.SubnetAllowList;

/** The wire format of the registries API (IONOS Container Registry 1.2 compatible). */
public final class RegistryModels {

    private RegistryModels() {
    }

    /** A day of the weekly GC schedule, spelled as the API spells it. */
    public enum Day {
        Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday;

        DayOfWeek toDayOfWeek() {
            return DayOfWeek.of(ordinal() + 1);
        }

        static Day of(DayOfWeek day) {
            return values()[day.getValue() - 1];
        }
    }

    @Schema(name = "WeeklySchedule", description = "When garbage collection runs: days of the week and a time of day in UTC.")
    public record WeeklySchedule(
            @Schema(required = true, description = "At least one day, each at most once") List<Day> days,
            @Schema(required = true, description = "UTC time of day, RFC 3339 partial-time: '01:23:00+00:00' or"
                    + " '01:23:00Z'; other offsets are refused. Returned as HH:MM:SS+00:00.",
                    examples = "01:23:00+00:00") String time) {
    }

    @Schema(name = "VulnerabilityScanning")
    public record VulnerabilityScanning(
            @Schema(description = "Default true. Once enabled it cannot be turned off (a paid feature).") Boolean enabled) {
    }

    @Schema(name = "RegistryFeatures")
    public record Features(@Valid VulnerabilityScanning vulnerabilityScanning) {
    }

    @Schema(name = "PostRegistryProperties")
    public record PropertiesInput(
            @Schema(required = true, pattern = RegistryRules.NAME_PATTERN, examples = "my-registry",
                    description = "Global: becomes the hostname. " + "Must be unique across all customers.") String name,
            @Schema(required = true, examples = "de/fra", description = "One of GET /locations") String location,
            @Valid @Schema(description = "Default: the configured default schedule (Sunday 01:23:00+00:00)") WeeklySchedule garbageCollectionSchedule,
            @Valid Features features,
            @Schema(maxItems = SubnetAllowList.MAX_ENTRIES, description = "IPv4/IPv6 addresses or CIDRs allowed to"
                    + " reach the registry's API; a bare address means /32 or /128. Empty or absent: no restriction."
                    + " 0.0.0.0/0 denies all traffic. Returned canonical, without duplicates.",
                    examples = "[\"203.0.113.0/24\"]") List<String> apiSubnetAllowList) {
    }

    @Schema(name = "PostRegistryInput", description = "Body of POST /registries and PUT /registries/{registryId}")
    public record RegistryInput(@NotNull(message = "is required") @Valid PropertiesInput properties)
            implements RegistryLocations.LocatedRequest {
        @Override
        public Optional<String> requestedLocation() {
            return Optional.ofNullable(properties).map(PropertiesInput::location);
        }
    }

    @Schema(name = "PatchRegistryInput", description = "Only fields present (and not null) change.")
    @com.registryservice.api.StrictFields
    public record PatchInput(
            @Valid WeeklySchedule garbageCollectionSchedule,
            @Valid Features features,
            @Schema(maxItems = SubnetAllowList.MAX_ENTRIES, description = "[] clears the list (no restriction)")
            List<String> apiSubnetAllowList) {
    }

    @Schema(name = "ApiResourceMetadata")
    public record Metadata(String createdBy, String createdByUserId, Instant createdDate, String lastModifiedBy,
            String lastModifiedByUserId, Instant lastModifiedDate,
            @Schema(enumeration = { "BUSY", "RUNNING", "FAILED" }) String state) {
    }

    @Schema(name = "StorageUsage")
    public record StorageUsage(@Schema(type = SchemaType.INTEGER, format = "int64") long bytes, Instant updatedAt) {
    }

    @Schema(name = "RegistryProperties")
    public record Properties(String name, String location,
            @Schema(description = "Set once the registry is RUNNING") String hostname,
            WeeklySchedule garbageCollectionSchedule, Features features, List<String> apiSubnetAllowList,
            StorageUsage storageUsage) {
    }

    @Schema(name = "RegistryResponse")
    public record RegistryResponse(UUID id, @Schema(examples = "registry") String type, String href, Metadata metadata,
            Properties properties) {
    }

    @Schema(name = "RegistriesResponse")
    public record RegistriesResponse(@Schema(examples = "registries") String id,
            @Schema(examples = "collection") String type, String href, List<RegistryResponse> items,
            Pagination pagination, @JsonProperty("_links") Links links) {
    }
}
