package com.registryservice.gc.rest;

import java.net.URI;
import java.util.Optional;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import com.registryservice.api.Listing;
import com.registryservice.api.Params;
import com.registryservice.gc.GcRun;
import com.registryservice.gc.service.GcService;
import com.registryservice.security.Actor;
import com.registryservice.security.RegistryPermissionCheckers;

import io.quarkus.security.PermissionsAllowed;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/** A registry's garbage-collection runs: list them, read one, start one by hand. */
@Path("/registries/{registryId}/garbage-collections")
@Tag(name = "Garbage collection", description = "Runs of a registry's garbage collection, scheduled and manual")
@Produces(MediaType.APPLICATION_JSON)
@PermissionsAllowed(RegistryPermissionCheckers.MANAGE)
public class GcRunResource {

    private final GcService gc;
    private final SecurityIdentity identity;
    private final UriInfo uri;

    public GcRunResource(GcService gc, SecurityIdentity identity, UriInfo uri) {
        this.gc = gc;
        this.identity = identity;
        this.uri = uri;
    }

    @GET
    @Operation(operationId = "garbageCollectionsGet", summary = "List a registry's garbage-collection runs",
            description = "Newest first, keyset-paged like registries; the envelope carries the next scheduled run.")
    @APIResponse(responseCode = "200", description = "OK",
            content = @Content(schema = @Schema(implementation = GcModels.RunsResponse.class)))
    public Uni<GcModels.RunsResponse> list(
            @Parameter(description = "The unique ID of the registry", schema = @Schema(format = "uuid", pattern = Params.UUID_PATTERN))
            @RestPath String registryId,
            @Parameter(description = "Page size, 1 to 1000", schema = @Schema(type = SchemaType.STRING, defaultValue = "100"))
            @RestQuery("limit") String limit,
            @Parameter(description = "Opaque token of the next (or previous) page") @RestQuery("pagination.token") String token) {
        int pageSize = Params.limit(uri.getQueryParameters().getFirst("limit"));
        var id = Params.uuid("registryId", registryId);
        return gc.list(id, pageSize, Optional.ofNullable(token), Actor.of(identity)).map(listing -> {
            URI collection = collection(registryId);
            Listing<GcModels.RunResponse> runs = listing.runs().map(run -> toResponse(collection, run));
            return new GcModels.RunsResponse("garbage-collections", "collection", collection.toString(), runs.items(),
                    runs.pagination(), runs.links(collection, Optional.empty(), uri.getRequestUri()),
                    listing.nextScheduledRun().orElse(null));
        });
    }

    @GET
    @Path("/{runId}")
    @Operation(operationId = "garbageCollectionsFindById", summary = "Get a garbage-collection run")
    @APIResponse(responseCode = "200", description = "OK",
            content = @Content(schema = @Schema(implementation = GcModels.RunResponse.class)))
    public Uni<GcModels.RunResponse> get(
            @Parameter(description = "The unique ID of the registry", schema = @Schema(format = "uuid", pattern = Params.UUID_PATTERN))
            @RestPath String registryId,
            @Parameter(description = "The unique ID of the run", schema = @Schema(format = "uuid", pattern = Params.UUID_PATTERN))
            @RestPath String runId) {
        return gc.get(Params.uuid("registryId", registryId), Params.uuid("runId", runId), Actor.of(identity))
                .map(run -> toResponse(collection(registryId), run));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "garbageCollectionsPost", summary = "Start a garbage-collection run",
            description = "Queues a manual run (the body may be omitted). While a run of the registry is queued or"
                    + " running, answers 409 naming it.")
    @APIResponse(responseCode = "202", description = "Accepted: the run is queued",
            headers = @Header(name = "Location", description = "URL of the run"),
            content = @Content(schema = @Schema(implementation = GcModels.RunResponse.class)))
    public Uni<Response> start(
            @Parameter(description = "The unique ID of the registry", schema = @Schema(format = "uuid", pattern = Params.UUID_PATTERN))
            @RestPath String registryId,
            GcModels.RunInput body) {
        boolean dryRun = body != null && Boolean.TRUE.equals(body.dryRun());
        return gc.trigger(Params.uuid("registryId", registryId), dryRun, Actor.of(identity))
                .map(run -> {
                    GcModels.RunResponse response = toResponse(collection(registryId), run);
                    return Response.accepted(response).location(URI.create(response.href())).build();
                });
    }

    private URI collection(String registryId) {
        return uri.getBaseUriBuilder().path("registries").path(registryId.toLowerCase(java.util.Locale.ROOT))
                .path("garbage-collections").build();
    }

    static GcModels.RunResponse toResponse(URI collection, GcRun run) {
        return new GcModels.RunResponse(run.id(), "garbageCollection",
                UriBuilder.fromUri(collection).path(run.id().toString()).build().toString(),
                new GcModels.Metadata(run.createdDate(), run.createdBy()),
                new GcModels.Properties(run.trigger(), run.dryRun(), run.status(), run.scheduledFor(), run.startedAt(),
                        run.finishedAt(), run.deletedManifests(), run.deletedBlobs(), run.freedBytes(), run.message()));
    }
}
