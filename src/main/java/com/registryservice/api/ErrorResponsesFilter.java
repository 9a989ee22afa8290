package com.registryservice.api;

import java.util.Arrays;
import java.util.List;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/**
 * Documents the error responses of every operation in one place, all with the {@code ApiErrorResponse} schema, so
 * that the OpenAPI document cannot forget one.
 */
public class ErrorResponsesFilter implements OASFilter {

    private static final String SCHEMA = "ApiErrorResponse";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Components components = openAPI.getComponents() == null ? OASFactory.createComponents() : openAPI.getComponents();
        components.addSchema("ApiErrorMessage", OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                .addProperty("errorCode", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING))
                        .enumeration(Arrays.stream(ErrorCode.values()).map(c -> (Object) c.name()).toList())
                        .description("Stable code; see the README's 'Errors' section"))
                .addProperty("message", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING))
                        .description("What was wrong and how to fix it"))
                .required(List.of("errorCode", "message")));
        components.addSchema(SCHEMA, OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                .description("The one shape of every error")
                .addProperty("httpStatus", OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER)))
                .addProperty("messages", OASFactory.createSchema().type(List.of(Schema.SchemaType.ARRAY))
                        .items(OASFactory.createSchema().ref("ApiErrorMessage")))
                .required(List.of("httpStatus", "messages")));
        openAPI.setComponents(components);
        if (openAPI.getPaths() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            if (path.startsWith("/q/")) {
                return;
            }
            item.getOperations().forEach((method, operation) -> addErrors(path, method, operation));
        });
    }

    private static void addErrors(String path, PathItem.HttpMethod method, Operation operation) {
        boolean hasBody = method == PathItem.HttpMethod.POST || method == PathItem.HttpMethod.PUT
                || method == PathItem.HttpMethod.PATCH;
        boolean registryScoped = path.contains("{registryId}");
        error(operation, "400", "Bad request: a parameter or the body breaks a rule; the messages name it");
        error(operation, "401", "No or wrong credentials (with a WWW-Authenticate: Basic challenge)");
        error(operation, "403", "Not allowed");
        if (registryScoped || path.startsWith("/names")) {
            error(operation, "404", path.startsWith("/names") ? "The name is valid and free" : "No such registry");
        }
        if (hasBody || method == PathItem.HttpMethod.DELETE) {
            error(operation, "409", "Conflict: the name is taken, or a concurrent change won");
        }
        if (hasBody) {
            error(operation, "415", "The body is not JSON");
        }
        if (hasHeader(operation, "If-Match")) {
            error(operation, "412", "If-Match names a version of the registry that is no longer current");
        }
        if (hasHeader(operation, "Idempotency-Key")) {
            error(operation, "422", "The Idempotency-Key was used before with a different body");
        }
        error(operation, "500", "A fault of the service; the message carries a reference");
    }

    private static boolean hasHeader(Operation operation, String name) {
        return operation.getParameters() != null && operation.getParameters().stream()
                .anyMatch(p -> p.getIn() == Parameter.In.HEADER && name.equalsIgnoreCase(p.getName()));
    }

    private static void error(Operation operation, String status, String description) {
        if (operation.getResponses() == null) {
            operation.setResponses(OASFactory.createAPIResponses());
        }
        if (operation.getResponses().hasAPIResponse(status)) {
            return;
        }
        APIResponse response = OASFactory.createAPIResponse().description(description)
                .content(OASFactory.createContent().addMediaType("application/json",
                        OASFactory.createMediaType().schema(OASFactory.createSchema().ref(SCHEMA))));
        operation.getResponses().addAPIResponse(status, response);
    }

}
