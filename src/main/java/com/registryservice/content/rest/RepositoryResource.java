package com.registryservice.content.rest;

import static com.registryservice.content.rest.ContentViews.digest;
import static com.registryservice.content.rest.ContentViews.query;
import static com.registryservice.content.rest.ContentViews.repositoryName;

import java.net.URI;
import java.util.Optional;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import com.registryservice.api.OffsetWindow;
import com.registryservice.api.Params;
import com.registryservice.content.rest.ContentViews.ArtifactRead;
import com.registryservice.content.rest.ContentViews.ListRead;
import com.registryservice.content.rest.ContentViews.RepositoryRead;
import com.registryservice.content.service.ContentService;
import com.registryservice.security.Actor;
import com.registryservice.security.RegistryPermissionCheckers;

import io.quarkus.security.PermissionsAllowed;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * The repositories of a registry and their artifacts, as the IONOS API has them. A repository name may hold '/'
 * ({@code team/app}): it is the rest of the path, sent as is or percent-encoded.
 */
@Path("/registries/{registryId}/repositories")
@Tag(name = "Repositories")
@Produces(MediaType.APPLICATION_JSON)
@PermissionsAllowed(RegistryPermissionCheckers.MANAGE)
public class RepositoryResource {

    private final ContentService content;
    private final SecurityIdentity identity;
    private final UriInfo uri;

    public RepositoryResource(ContentService content, SecurityIdentity identity, UriInfo uri) {
        this.content = content;
        this.identity = identity;
        this.uri = uri;
    }

    @GET
    @Operation(operationId = "registriesRepositoriesGet", summary = "List the repositories of a registry")
    public Uni<ListRead<RepositoryRead>> list(@RestPath String registryId,
            @Parameter(description = "The first element to return, from 0") @RestQuery("offset") String offset,
            @Parameter(description = "Page size, 1 to 1000, default 100") @RestQuery("limit") String limit,
            @Parameter(description = "Only repositories whose name contains this") @RestQuery("filter.name") String name,
            @Parameter(description = "Refused (400): there is no vulnerability scanner")
            @RestQuery("filter.vulnerabilitySeverity") String severity,
            @Parameter(description = "name, lastPush, lastPull, artifactCount, pullCount or pushCount, each with '-'"
                    + " for descending; default -lastPush") @RestQuery("orderBy") String orderBy) {
        OffsetWindow window = OffsetWindow.of(uri);
        URI collection = ContentViews.repositories(uri, registryId);
        return content.list(Params.uuid("registryId", registryId),
                Params.textFilter("filter.name", uri.getQueryParameters().getFirst("filter.name")),
                ContentViews.scannerFilters(uri, "filter.vulnerabilitySeverity"), query(uri, "orderBy"),
                window.offset(), window.limit(), Actor.of(identity))
                .map(page -> ContentViews.list("repositories", collection, uri, window, page.items().stream()
                        .map(r -> ContentViews.repository(uri, registryId, r)).toList(), page.total()));
    }

    @GET
    @Path("/{repositoryName: .+}")
    @Operation(operationId = "registriesRepositoriesFindByName", summary = "Get a repository")
    public Uni<RepositoryRead> get(@RestPath String registryId, @RestPath String repositoryName) {
        return content.get(Params.uuid("registryId", registryId), repositoryName(repositoryName), Actor.of(identity))
                .map(r -> ContentViews.repository(uri, registryId, r));
    }

    @DELETE
    @Path("/{repositoryName: .+}")
    @Operation(operationId = "registriesRepositoriesDelete", summary = "Delete a repository with all its content",
            description = "Its manifests and tags go at once; the next garbage-collection run frees the space of blobs"
                    + " that nothing references any more.")
    public Uni<Response> delete(@RestPath String registryId, @RestPath String repositoryName) {
        return content.delete(Params.uuid("registryId", registryId), repositoryName(repositoryName), Actor.of(identity))
                .map(v -> Response.noContent().build());
    }

    @GET
    @Path("/{repositoryName: .+}/artifacts")
    @Operation(operationId = "registriesRepositoriesArtifactsGet", summary = "List the artifacts of a repository")
    public Uni<ListRead<ArtifactRead>> artifacts(@RestPath String registryId, @RestPath String repositoryName,
            @Parameter(description = "Refused (400): there is no vulnerability scanner")
            @RestQuery("filter.severity") String severity,
            @Parameter(description = "Refused (400): there is no vulnerability scanner")
            @RestQuery("filter.vulnerabilityId") String vulnerabilityId,
            @Parameter(description = "pullCount, pushCount, lastPush or lastPull, each with '-' for descending;"
                    + " default -lastPush") @RestQuery("orderBy") String orderBy) {
        OffsetWindow window = OffsetWindow.of(uri);
        String name = repositoryName(repositoryName);
        URI collection = URI.create(ContentViews.repositories(uri, registryId) + "/" + name + "/artifacts");
        return content.artifacts(Params.uuid("registryId", registryId), Optional.of(name),
                ContentViews.scannerFilters(uri, "filter.severity", "filter.vulnerabilityId"), query(uri, "orderBy"),
                window.offset(), window.limit(), Actor.of(identity))
                .map(page -> ContentViews.list("artifacts", collection, uri, window, page.items().stream()
                        .map(a -> ContentViews.artifact(uri, registryId, a)).toList(), page.total()));
    }

    @GET
    @Path("/{repositoryName: .+}/artifacts/{digest}")
    @Operation(operationId = "registriesRepositoriesArtifactsFindByDigest", summary = "Get an artifact")
    public Uni<ArtifactRead> artifact(@RestPath String registryId, @RestPath String repositoryName,
            @RestPath String digest) {
        return content.artifact(Params.uuid("registryId", registryId), repositoryName(repositoryName), digest(digest),
                Actor.of(identity)).map(a -> ContentViews.artifact(uri, registryId, a));
    }

    @GET
    @Path("/{repositoryName: .+}/artifacts/{digest}/vulnerabilities")
    @Operation(operationId = "registriesRepositoriesArtifactsVulnerabilitiesGet",
            summary = "The vulnerabilities of an artifact: 404, as there is no scanner")
    public Uni<Response> vulnerabilities(@RestPath String registryId, @RestPath String repositoryName,
            @RestPath String digest) {
        return content.vulnerabilities(Params.uuid("registryId", registryId), repositoryName(repositoryName),
                digest(digest), Actor.of(identity)).map(v -> Response.noContent().build());
    }
}
