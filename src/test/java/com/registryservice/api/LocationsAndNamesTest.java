package com.registryservice.api;

import static com.registryservice.support.Api.asUser;
import static com.registryservice.support.Api.create;
import static com.registryservice.support.Api.uniqueName;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class LocationsAndNamesTest {

    @Test
    void locationsListsTheConfiguredLocations() {
        asUser().get("/locations").then().statusCode(200)
                .body("id", equalTo("locations"))
                .body("type", equalTo("collection"))
                .body("href", endsWith("/locations"))
                .body("items.id", contains("de/fra", "de/txl", "es/vit", "gb/lhr", "fr/par", "us/las", "us/ewr", "us/mci"));
    }

    @Test
    void aTakenNameAnswers200() {
        String name = uniqueName("taken");
        create(name);
        asUser().head("/names/{name}", name).then().statusCode(200);
    }

    @Test
    void aFreeNameAnswers404() {
        asUser().head("/names/{name}", uniqueName("free")).then().statusCode(404);
    }

    @Test
    void anInvalidNameAnswers400() {
        for (String name : new String[] { "ab", "Upper", "-lead", "trail-", "under_score" }) {
            asUser().head("/names/{name}", name).then().statusCode(400);
        }
    }

    @Test
    void namesAndLocationsNeedAuthentication() {
        given().head("/names/{name}", "some-name").then().statusCode(401);
        given().get("/locations").then().statusCode(401);
    }
}
