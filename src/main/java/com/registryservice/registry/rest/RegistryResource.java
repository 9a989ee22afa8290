package com.registryservice.registry.rest;

import java.util.Optional;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.RestQuery;

import com.registryservice.api.Params;
import com.registryservice.api.Preconditions;
import com.registryservice.registry.Registry;
import com.registryservice.registry.service.RegistryService;
import com.registryservice.security.Actor;
import com.registryservice.security.RegistryPermissionCheckers;

import io.quarkus.security.PermissionsAllowed;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/** The registries API: list, create, get, replace, patch and delete container registries. */
@Path("/registries")
@Tag(name = "Registries", description = "Manage container registries for docker images and OCI artifacts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RegistryResource {

    private static final String ID_DESCRIPTION = "The unique ID of the registry";
    private static final String ETAG_DESCRIPTION = "The registry's version; send it in If-Match to change exactly"
            + " this version, or in If-None-Match to read only when it changed";
    private static final String IF_MATCH_DESCRIPTION = "Only when the registry's current ETag is one of these (or *"
            + " for any); otherwise 412. Without it the change applies to whatever version is current";

    private final RegistryService registries;
    private final SecurityIdentity identity;
    private final UriInfo uri;
    private final HttpHeaders headers;

    public RegistryResource(RegistryService registries, SecurityIdentity identity, UriInfo uri, HttpHeaders headers) {
        this.headers = headers;
        this.registries = registries;
        this.identity = identity;
        this.uri = uri;
    }

    @GET
    @PermissionsAllowed(RegistryPermissionCheckers.LIST)
    @Operation(operationId = "registriesGet", summary = "List all container registries",
            description = "Keyset-paged by name: rows added or removed between pages never cause a duplicate or a"
                    + " skipped row, and a deep page costs the same as the first.")
    @APIResponse(responseCode = "200", description = "OK",
            content = @Content(schema = @Schema(implementation = RegistryModels.RegistriesResponse.class)))
    public Uni<RegistryModels.RegistriesResponse> list(
            @Parameter(description = "Only registries whose name contains this text (case-insensitive; % and _ match"
                    + " literally)", example = "my-registry") @RestQuery("filter.name") String filter,
            @Parameter(description = "Page size, 1 to 1000", schema = @Schema(type = SchemaType.STRING, defaultValue = "100"))
            @RestQuery("limit") String limit,
            @Parameter(description = "Opaque token of the next (or previous) page, from a previous response")
            @RestQuery("pagination.token") String token) {
        // read raw: an empty "limit=" must be refused, not taken for an absent limit
        int pageSize = Params.limit(uri.getQueryParameters().getFirst("limit"));
        Optional<String> nameFilter = Params.textFilter("filter.name", filter);
        return registries.list(nameFilter, pageSize, Optional.ofNullable(token), Actor.of(identity))
                .map(listing -> RegistryMapper.toList(uri.getBaseUri(), uri.getRequestUri(), nameFilter, listing));
    }

    @POST
    @PermissionsAllowed(RegistryPermissionCheckers.CREATE)
    @Operation(operationId = "registriesPost", summary = "Create container registry",
            description = "Answers with the registry in state BUSY; it becomes RUNNING, with its hostname, shortly.")
    @APIResponse(responseCode = "201", description = "Created, state BUSY",
            headers = @Header(name = "Location", description = "URL of the new registry"),
            content = @Content(schema = @Schema(implementation = RegistryModels.RegistryResponse.class)))
    @Parameter(name = "Idempotency-Key", in = ParameterIn.HEADER, description = "Makes retries safe: a retry with"
            + " the same key and body within 24 h (registry.idempotency-key-retention) answers the registry the first"
            + " request created (201, header Idempotent-Replayed: true) and creates nothing; 1 to 255 visible ASCII"
            + " characters, e.g. a UUID. Keys are per contract")
    public Uni<Response> create(@NotNull(message = "is required: send a JSON object") @Valid RegistryModels.RegistryInput body) {
        // read raw: an empty header must be refused, not taken for an absent one
        return registries.create(RegistryMapper.toSpec(body.properties()), Actor.of(identity),
                Params.idempotencyKey(headers.getHeaderString("Idempotency-Key")))
                .map(created -> {
                    Registry r = created.registry();
                    var response = withTag(Response.created(RegistryMapper.location(uri.getBaseUri(), r)), r);
                    return (created.replayed() ? response.header("Idempotent-Replayed", "true") : response).build();
                });
    }

    @GET
    @Path("/{registryId}")
    @PermissionsAllowed(RegistryPermissionCheckers.MANAGE)
    @Operation(operationId = "registriesFindById", summary = "Get a registry")
    @APIResponse(responseCode = "200", description = "OK",
            headers = @Header(name = "ETag", description = ETAG_DESCRIPTION),
            content = @Content(schema = @Schema(implementation = RegistryModels.RegistryResponse.class)))
    @APIResponse(responseCode = "304", description = "Not modified: If-None-Match names the current ETag",
            headers = @Header(name = "ETag", description = ETAG_DESCRIPTION))
    @Parameter(name = "If-None-Match", in = ParameterIn.HEADER,
            description = "Answer 304 without a body when one of these ETags is still current")
    public Uni<RestResponse<RegistryModels.RegistryResponse>> get(@Parameter(description = ID_DESCRIPTION, schema = @Schema(format = "uuid", pattern = Params.UUID_PATTERN)) @RestPath String registryId) {
        Preconditions.Condition condition = condition("If-None-Match");
        return registries.get(Params.uuid("registryId", registryId), Actor.of(identity))
                .map(r -> {
                    String tag = RegistryService.tag(r);
                    return Preconditions.notModified(condition, tag)
                            ? RestResponse.ResponseBuilder.<RegistryModels.RegistryResponse>notModified()
                                    .header(HttpHeaders.ETAG, tag).build()
                            : RestResponse.ResponseBuilder.ok(RegistryMapper.toResponse(uri.getBaseUri(), r))
                                    .header(HttpHeaders.ETAG, tag).build();
                });
    }

    @PUT
    @Path("/{registryId}")
    @PermissionsAllowed(RegistryPermissionCheckers.PUT)
    @Operation(operationId = "registriesPut", summary = "Create or replace a container registry",
            description = "Creates the registry with this id (201) or replaces it (200). On replace, name and location"
                    + " must stay as they are, and omitted optional fields take their defaults.")
    @APIResponse(responseCode = "200", description = "Replaced, state BUSY",
            content = @Content(schema = @Schema(implementation = RegistryModels.RegistryResponse.class)))
    @APIResponse(responseCode = "201", description = "Created, state BUSY",
            headers = @Header(name = "Location", description = "URL of the new registry"),
            content = @Content(schema = @Schema(implementation = RegistryModels.RegistryResponse.class)))
    @Parameter(name = "If-Match", in = ParameterIn.HEADER, description = IF_MATCH_DESCRIPTION)
    @Parameter(name = "If-None-Match", in = ParameterIn.HEADER,
            description = "* to create only: 412 when the registry exists")
    @APIResponse(responseCode = "412", description = "If-Match does not name the current ETag, or If-None-Match: *"
            + " and the registry exists")
    public Uni<Response> put(@Parameter(description = ID_DESCRIPTION, schema = @Schema(format = "uuid", pattern = Params.UUID_PATTERN)) @RestPath String registryId,
            @NotNull(message = "is required: send a JSON object") @Valid RegistryModels.RegistryInput body) {
        return registries.put(Params.uuid("registryId", registryId), RegistryMapper.toSpec(body.properties()),
                Actor.of(identity), condition("If-Match"), condition("If-None-Match"))
                .map(upsert -> withTag(upsert.created()
                        ? Response.created(RegistryMapper.location(uri.getBaseUri(), upsert.registry()))
                        : Response.ok(), upsert.registry()).build());
    }

    @PATCH
    @Path("/{registryId}")
    @PermissionsAllowed(RegistryPermissionCheckers.MANAGE)
    @Operation(operationId = "registriesPatch", summary = "Update the properties of a registry",
            description = "Only the fields present change; apiSubnetAllowList: [] clears the list.")
    @APIResponse(responseCode = "200", description = "OK",
            content = @Content(schema = @Schema(implementation = RegistryModels.RegistryResponse.class)))
    @Parameter(name = "If-Match", in = ParameterIn.HEADER, description = IF_MATCH_DESCRIPTION)
    public Uni<Response> patch(@Parameter(description = ID_DESCRIPTION, schema = @Schema(format = "uuid", pattern = Params.UUID_PATTERN)) @RestPath String registryId,
            @NotNull(message = "is required: send a JSON object") @Valid RegistryModels.PatchInput body) {
        return registries.patch(Params.uuid("registryId", registryId), RegistryMapper.toPatch(body), Actor.of(identity),
                condition("If-Match"))
                .map(r -> withTag(Response.ok(), r).build());
    }

    @DELETE
    @Path("/{registryId}")
    @PermissionsAllowed(RegistryPermissionCheckers.MANAGE)
    @Operation(operationId = "registriesDelete", summary = "Delete registry",
            description = "Clients confirm deletion by polling GET until it answers 404.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @Parameter(name = "If-Match", in = ParameterIn.HEADER, description = IF_MATCH_DESCRIPTION)
    public Uni<Response> delete(@Parameter(description = ID_DESCRIPTION, schema = @Schema(format = "uuid", pattern = Params.UUID_PATTERN)) @RestPath String registryId) {
        return registries.delete(Params.uuid("registryId", registryId), Actor.of(identity),
                condition("If-Match")).map(v -> Response.noContent().build());
    }

    /** A conditional header, read raw: an empty one is refused (400), not taken for an absent one. */
    private Preconditions.Condition condition(String header) {
        return Preconditions.parse(header, headers.getHeaderString(header));
    }

    /** The registry as the body, with its ETag. */
    private Response.ResponseBuilder withTag(Response.ResponseBuilder response, Registry registry) {
        return response.entity(RegistryMapper.toResponse(uri.getBaseUri(), registry))
                .header(HttpHeaders.ETAG, RegistryService.tag(registry));
    }
}
