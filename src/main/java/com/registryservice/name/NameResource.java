package com.registryservice.name;

import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;

import com.registryservice.api.ApiException;
import com.registryservice.api.ErrorCode;
import com.registryservice.api.FieldErrors;
import com.registryservice.registry.service.RegistryRules;
import com.registryservice.registry.service.RegistryService;
import com.registryservice.security.RegistryPermissionCheckers;

import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;

/** Whether a registry name is valid and still free. */
@Path("/names")
@Tag(name = "Names")
@PermissionsAllowed(RegistryPermissionCheckers.CONTRACT_MEMBER)
public class NameResource {

    private final RegistryService registries;

    public NameResource(RegistryService registries) {
        this.registries = registries;
    }

    @HEAD
    @Path("/{name}")
    @Operation(operationId = "namesCheckUsage", summary = "Get container registry name availability",
            description = "200: valid and taken; 404: valid and free; 400: invalid. Names are global.")
    @APIResponse(responseCode = "200", description = "The name is valid but already in use")
    public Uni<Response> check(@Parameter(description = "The desired registry name",
            schema = @org.eclipse.microprofile.openapi.annotations.media.Schema(pattern = RegistryRules.NAME_PATTERN))
            @RestPath String name) {
        if (!RegistryRules.isValidName(name)) {
            throw ApiException.badRequest(ErrorCode.INVALID_PARAMETER,
                    "name: " + FieldErrors.quote(name) + " " + RegistryRules.NAME_RULE);
        }
        return registries.nameTaken(name).map(taken -> {
            if (!taken) {
                throw ApiException.notFound("The name " + FieldErrors.quote(name) + " is valid and free");
            }
            return Response.ok().build();
        });
    }
}
