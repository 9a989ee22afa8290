package com.registryservice.security;

import static com.registryservice.support.Api.as;
import static com.registryservice.support.Api.asUser;
import static com.registryservice.support.Api.create;
import static com.registryservice.support.Api.uniqueName;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class TenantIsolationTest {

    @Test
    void listsShowOnlyTheRegistriesOfTheCallersContract() {
        String prefix = uniqueName("tenant");
        create(prefix + "-mine");
        as("stranger").body(Map.of("properties", Map.of("name", prefix + "-theirs", "location", "de/fra")))
                .post("/registries").then().statusCode(201);
        asUser().queryParam("filter.name", prefix).get("/registries").then().statusCode(200)
                .body("items.properties.name", contains(prefix + "-mine"));
        as("stranger").queryParam("filter.name", prefix).get("/registries").then().statusCode(200)
                .body("items.properties.name", contains(prefix + "-theirs"));
    }

    @Test
    void aLocationManagerListsOnlyTheLocationsItManages() {
        String prefix = uniqueName("managed");
        create(Map.of("name", prefix + "-fra", "location", "de/fra"));
        create(Map.of("name", prefix + "-txl", "location", "de/txl"));
        as("editor").queryParam("filter.name", prefix).get("/registries").then().statusCode(200)
                .body("items.properties.name", contains(prefix + "-fra"));
        as("sharer").queryParam("filter.name", prefix).get("/registries").then().statusCode(200)
                .body("items.properties.name", contains(prefix + "-txl"));
        as("admin").queryParam("filter.name", prefix).get("/registries").then().statusCode(200)
                .body("items", hasSize(2));
    }

    @Test
    void aPutWithTheIdOfAnotherContractsRegistryDoesNotTakeItOver() {
        String name = uniqueName("victim");
        String id = create(name);
        as("stranger").body(Map.of("properties", Map.of("name", name, "location", "de/fra",
                "apiSubnetAllowList", List.of("0.0.0.0/0")))).put("/registries/{id}", id)
                .then().statusCode(404).body("messages[0].errorCode", equalTo("NOT_FOUND"));
        asUser().get("/registries/{id}", id).then().statusCode(200)
                .body("metadata.createdBy", equalTo("tester"))
                .body("metadata.lastModifiedBy", equalTo("tester"))
                .body("properties.apiSubnetAllowList", hasSize(0));
    }

    @Test
    void aTokenOfAnotherUsersListingIsRefused() {
        String prefix = uniqueName("tokens");
        create(prefix + "-a");
        create(prefix + "-b");
        String token = asUser().queryParam("filter.name", prefix).queryParam("limit", 1).get("/registries").then()
                .extract().path("pagination.token");
        as("stranger").queryParam("filter.name", prefix).queryParam("pagination.token", token).get("/registries")
                .then().statusCode(400).body("messages[0].errorCode", equalTo("INVALID_PAGINATION_TOKEN"));
        as("editor").queryParam("filter.name", prefix).queryParam("pagination.token", token).get("/registries")
                .then().statusCode(400);
    }

    @Test
    void registryNamesStayGlobalAcrossContracts() {
        String name = uniqueName("global");
        create(name);
        as("stranger").body(Map.of("properties", Map.of("name", name, "location", "de/fra"))).post("/registries")
                .then().statusCode(409).body("messages[0].errorCode", equalTo("NAME_TAKEN"));
    }

    @Test
    void aForbiddenOperationAnswersTheJsonError() {
        as("reader").get("/registries").then().statusCode(403)
                .body("httpStatus", equalTo(403)).body("messages[0].errorCode", equalTo("FORBIDDEN"));
        as("nocontract").get("/locations").then().statusCode(403).body("messages[0].errorCode", equalTo("FORBIDDEN"));
    }
}
