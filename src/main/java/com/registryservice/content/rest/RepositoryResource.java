package com.registryservice.content.rest;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.registryservice.api.ApiException;
import com.registryservice.api.ErrorCode;
import com.registryservice.api.FieldErrors;
import com.registryservice.api.Links;
import com.registryservice.api.OffsetWindow;
import com.registryservice.api.Params;
import com.registryservice.content.service.ContentService;
import com.registryservice.security.Actor;
import com.registryservice.security.RegistryPermissionCheckers;

import io.quarkus.security.PermissionsAllowed;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/** The repositories of a registry (IONOS parity): list, read, delete with all their content. */
@Path("/registries/{registryId}/repositories")
@Tag(name = "Repositories")
@Produces(MediaType.APPLICATION_JSON)
@PermissionsAllowed(RegistryPermissionCheckers.MANAGE)
public class RepositoryResource {

    private static final Pattern NAME = Pattern.compile("^[a-z0-9]+(?:[._-][a-z0-9]+)*$");

    private final ContentService content;
    private final SecurityIdentity identity;
    private final UriInfo uri;

    public RepositoryResource(ContentService content, SecurityIdentity identity, UriInfo uri) {
        this.content = content;
        this.identity = identity;
        this.uri = uri;
    }

    @Schema(name = "RepositoryProperties")
    public record Properties(String name, long manifestCount, long tagCount, Instant lastPushedAt) {
    }

    @Schema(name = "RepositoryResponse")
    public record RepositoryResponse(String id, String type, String href, Metadata metadata, Properties properties) {
    }

    /** As IONOS's RepositoryRead metadata: the counts are of manifest pushes and pulls through the OCI API. */
    @Schema(name = "RepositoryMetadata")
    public record Metadata(Instant createdDate, long artifactCount, long pullCount, long pushCount, Instant lastPulledAt,
            Instant lastPushedAt) {
    }

    @Schema(name = "RepositoriesResponse")
    public record RepositoriesResponse(String id, String type, String href, int offset, int limit, long total,
            List<RepositoryResponse> items, @JsonProperty("_links") Links links) {
    }

    @GET
    @Operation(operationId = "registriesRepositoriesGet", summary = "List the repositories of a registry")
    public Uni<RepositoriesResponse> list(@RestPath String registryId,
            @Parameter(description = "The first element to return, from 0") @RestQuery("offset") String offset,
            @Parameter(description = "Page size, 1 to 1000, default 100") @RestQuery("limit") String limit) {
        // read raw: an empty "offset=" or "limit=" must be refused, not taken for an absent one
        OffsetWindow window = OffsetWindow.parse(uri.getQueryParameters().getFirst("offset"),
                uri.getQueryParameters().getFirst("limit"));
        var id = Params.uuid("registryId", registryId);
        URI collection = uri.getBaseUriBuilder().path("registries").path(registryId).path("repositories").build();
        String href = collection.toString();
        return content.list(id, window.offset(), window.limit(), Actor.of(identity)).map(page ->
                new RepositoriesResponse("repositories", "collection", href, window.offset(), window.limit(),
                        page.total(), page.items().stream().map(r -> toResponse(href, r)).toList(),
                        window.links(collection, uri.getRequestUri(), page.total())));
    }

    @GET
    @Path("/{name}")
    @Operation(operationId = "registriesRepositoriesFindByName", summary = "Get a repository")
    public Uni<RepositoryResponse> get(@RestPath String registryId, @RestPath String name) {
        String href = uri.getBaseUriBuilder().path("registries").path(registryId).path("repositories").build().toString();
        return content.get(Params.uuid("registryId", registryId), repositoryName(name), Actor.of(identity))
                .map(r -> toResponse(href, r));
    }

    @DELETE
    @Path("/{name}")
    @Operation(operationId = "registriesRepositoriesDelete", summary = "Delete a repository with all its content",
            description = "Its manifests and tags go at once; the next garbage-collection run frees the space of blobs"
                    + " that nothing references any more.")
    public Uni<Response> delete(@RestPath String registryId, @RestPath String name) {
        return content.delete(Params.uuid("registryId", registryId), repositoryName(name), Actor.of(identity))
                .map(v -> Response.noContent().build());
    }

    private static RepositoryResponse toResponse(String collection, ContentService.Repository r) {
        return new RepositoryResponse(r.name(), "repository", collection + "/" + r.name(),
                new Metadata(r.createdDate(), r.manifestCount(), r.pullCount(), r.pushCount(), r.lastPulledAt(),
                        r.lastPushedAt()), new Properties(r.name(), r.manifestCount(), r.tagCount(), r.lastPushedAt()));
    }

    private static String repositoryName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ApiException.badRequest(ErrorCode.INVALID_PARAMETER, "name: " + FieldErrors.quote(name)
                    + " is not a repository name (lower-case letters and digits, separated by '.', '_' or '-')");
        }
        return name;
    }
}
