package com.registryservice.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.notNullValue;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** The OpenAPI document describes every operation, with its parameters and the error shape. */
@QuarkusTest
class OpenApiTest {

    @Test
    void everyOperationIsDocumentedWithItsErrors() {
        var doc = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
        for (String[] op : new String[][] { { "/registries", "get" }, { "/registries", "post" },
                { "/registries/{registryId}", "get" }, { "/registries/{registryId}", "put" },
                { "/registries/{registryId}", "patch" }, { "/registries/{registryId}", "delete" },
                { "/locations", "get" }, { "/names/{name}", "head" }, { "/events", "get" },
                { "/registries/{registryId}/garbage-collections", "get" },
                { "/registries/{registryId}/garbage-collections", "post" },
                { "/registries/{registryId}/garbage-collections/{runId}", "get" },
                { "/registries/{registryId}/repositories", "get" },
                { "/registries/{registryId}/repositories/{repositoryName}", "get" },
                { "/registries/{registryId}/repositories/{repositoryName}", "delete" },
                { "/registries/{registryId}/repositories/{repositoryName}/artifacts", "get" },
                { "/registries/{registryId}/repositories/{repositoryName}/artifacts/{digest}", "get" },
                { "/registries/{registryId}/artifacts", "get" },
                { "/registries/{registryId}/tokens", "get" }, { "/registries/{registryId}/tokens", "post" },
                { "/registries/{registryId}/tokens/{tokenId}", "get" },
                { "/registries/{registryId}/tokens/{tokenId}", "put" },
                { "/registries/{registryId}/tokens/{tokenId}", "patch" },
                { "/registries/{registryId}/tokens/{tokenId}", "delete" } }) {
            String base = "paths.'" + op[0] + "'." + op[1];
            org.junit.jupiter.api.Assertions.assertNotNull(doc.get(base + ".operationId"), base);
            org.junit.jupiter.api.Assertions.assertNotNull(doc.get(base + ".responses.'400'"), base + " 400");
            org.junit.jupiter.api.Assertions.assertNotNull(doc.get(base + ".responses.'401'"), base + " 401");
        }
        given().queryParam("format", "json").get("/q/openapi").then()
                .body("components.schemas", hasKey("ApiErrorResponse"))
                .body("components.schemas", hasKey("RegistryResponse"))
                .body("paths.'/registries'.get.parameters.name", org.hamcrest.Matchers.hasItems("filter.name", "limit",
                        "pagination.token"))
                .body("paths.'/registries'.post.responses.'201'.headers.Location", notNullValue())
                .body("paths.'/registries'.post.parameters.name", org.hamcrest.Matchers.hasItem("Idempotency-Key"))
                .body("paths.'/registries'.post.responses", hasKey("422"))
                .body("paths.'/registries/{registryId}'.get.parameters.name",
                        org.hamcrest.Matchers.hasItem("If-None-Match"))
                .body("paths.'/registries/{registryId}'.get.responses", hasKey("304"))
                .body("paths.'/registries/{registryId}'.get.responses.'200'.headers", hasKey("ETag"))
                .body("paths.'/registries/{registryId}'.patch.parameters.name", org.hamcrest.Matchers.hasItem("If-Match"))
                .body("paths.'/registries/{registryId}'.patch.responses", hasKey("412"))
                .body("paths.'/registries/{registryId}'.put.responses", hasKey("412"))
                .body("paths.'/registries/{registryId}'.delete.responses", hasKey("412"))
                .body("paths.'/registries/{registryId}'.delete.responses.'404'.content.'application/json'.schema.'$ref'",
                        equalTo("#/components/schemas/ApiErrorResponse"));
    }
}
