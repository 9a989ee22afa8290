package com.registryservice.content.rest;

import static com.registryservice.content.rest.ContentViews.query;

import java.net.URI;
import java.util.Optional;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
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
import com.registryservice.content.service.ContentService;
import com.registryservice.security.Actor;
import com.registryservice.security.RegistryPermissionCheckers;

import io.quarkus.security.PermissionsAllowed;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/** Every artifact of a registry, across its repositories (IONOS {@code GET /registries/{id}/artifacts}). */
@Path("/registries/{registryId}/artifacts")
@Tag(name = "Artifacts")
@Produces(MediaType.APPLICATION_JSON)
@PermissionsAllowed(RegistryPermissionCheckers.MANAGE)
public class ArtifactResource {

    private final ContentService content;
    private final SecurityIdentity identity;
    private final UriInfo uri;

    public ArtifactResource(ContentService content, SecurityIdentity identity, UriInfo uri) {
        this.content = content;
        this.identity = identity;
        this.uri = uri;
    }

    @GET
    @Operation(operationId = "registriesArtifactsGet", summary = "List the artifacts of a registry")
    public Uni<ListRead<ArtifactRead>> list(@RestPath String registryId,
            @Parameter(description = "Refused (400): there is no vulnerability scanner")
            @RestQuery("filter.severity") String severity,
            @Parameter(description = "Refused (400): there is no vulnerability scanner")
            @RestQuery("filter.vulnerabilityId") String vulnerabilityId,
            @Parameter(description = "pullCount, pushCount, lastPush or lastPull, each with '-' for descending;"
                    + " default -pullCount") @RestQuery("orderBy") String orderBy) {
        OffsetWindow window = OffsetWindow.of(uri);
        URI collection = uri.getBaseUriBuilder().path("registries")
                .path(Params.uuid("registryId", registryId).toString()).path("artifacts").build();
        return content.artifacts(Params.uuid("registryId", registryId), Optional.empty(),
                ContentViews.scannerFilters(uri, "filter.severity", "filter.vulnerabilityId"), query(uri, "orderBy"),
                window.offset(), window.limit(), Actor.of(identity))
                .map(page -> ContentViews.list("artifacts", collection, uri, window, page.items().stream()
                        .map(a -> ContentViews.artifact(uri, registryId, a)).toList(), page.total()));
    }
}
