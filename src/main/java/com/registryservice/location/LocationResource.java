package com.registryservice.location;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.registryservice.registry.service.RegistryService;
import com.registryservice.security.RegistryPermissionCheckers;

import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;

/** The locations (data centers) registries can be created in, from {@code registry.locations}. */
@Path("/locations")
@Tag(name = "Locations")
@PermissionsAllowed(RegistryPermissionCheckers.CONTRACT_MEMBER)
@Produces(MediaType.APPLICATION_JSON)
public class LocationResource {

    private final RegistryService registries;
    private final UriInfo uri;

    public LocationResource(RegistryService registries, UriInfo uri) {
        this.registries = registries;
        this.uri = uri;
    }

    @Schema(name = "Location")
    public record Location(@Schema(examples = "de/fra") String id) {
    }

    @Schema(name = "LocationsResponse")
    public record Locations(@Schema(examples = "locations") String id, @Schema(examples = "collection") String type,
            String href, List<Location> items) {
    }

    @GET
    @Operation(operationId = "locationsGet", summary = "Get container registry locations")
    public Uni<Locations> list() {
        String href = uri.getBaseUriBuilder().path("locations").build().toString();
        return Uni.createFrom().item(new Locations("locations", "collection", href,
                registries.locations().stream().map(Location::new).toList()));
    }
}
