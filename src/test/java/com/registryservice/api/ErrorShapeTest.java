package com.registryservice.api;

import java.util.List;
import static com.registryservice.support.Api.asUser;
import static com.registryservice.support.Api.uniqueName;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Every error, whatever produced it, is JSON in the one documented shape, without Java internals. */
@QuarkusTest
class ErrorShapeTest {

    @Test
    void noCredentialsAnswers401WithAChallengeAndTheJsonError() {
        given().get("/registries").then().statusCode(401)
                .header("WWW-Authenticate", startsWith("Basic realm=\"registry-service\""))
                .contentType(ContentType.JSON)
                .body("httpStatus", equalTo(401))
                .body("messages[0].errorCode", equalTo("UNAUTHORIZED"));
    }

    @Test
    void wrongCredentialsAnswer401() {
        given().auth().preemptive().basic("tester", "wrong").get("/registries").then().statusCode(401)
                .header("WWW-Authenticate", startsWith("Basic"))
                .body("messages[0].errorCode", equalTo("UNAUTHORIZED"))
                // credentials were sent: not told to send some
                .body("messages[0].message", org.hamcrest.Matchers.containsString("not accepted"));
        given().auth().preemptive().basic("nobody", "x").get("/locations").then().statusCode(401);
    }

    @Test
    void malformedJsonAnswers400SayingWhere() {
        asUser().body("{\"properties\": {\"name\": ").post("/registries").then().statusCode(400)
                .body("messages[0].errorCode", equalTo("INVALID_REQUEST_BODY"))
                .body("messages[0].message", containsString("not valid JSON"))
                .body("messages[0].message", containsString("line 1"));
    }

    @Test
    void trailingGarbageAndDuplicateKeysAreRefused() {
        String name = uniqueName("strict");
        asUser().body("{\"properties\":{\"name\":\"" + name + "\",\"location\":\"de/fra\"}} x").post("/registries")
                .then().statusCode(400).body("messages[0].errorCode", equalTo("INVALID_REQUEST_BODY"));
        asUser().body("{\"properties\":{\"name\":\"" + name + "\",\"name\":\"other\",\"location\":\"de/fra\"}}")
                .post("/registries").then().statusCode(400)
                .body("messages[0].message", containsString("duplicate field 'name'"));
    }

    @Test
    void wrongJsonTypesAnswer400NamingTheField() {
        asUser().body("{\"properties\":{\"name\":5,\"location\":\"de/fra\"}}").post("/registries").then()
                .statusCode(400)
                .body("messages[0].errorCode", equalTo("INVALID_REQUEST_BODY"))
                .body("messages[0].message", equalTo("properties.name: must be a string"));
        asUser().body("{\"properties\":{\"name\":\"abc\",\"location\":\"de/fra\",\"features\":{\"vulnerabilityScanning\":"
                + "{\"enabled\":\"false\"}}}}").post("/registries").then().statusCode(400)
                .body("messages[0].message",
                        equalTo("properties.features.vulnerabilityScanning.enabled: must be true or false"));
        asUser().body("{\"properties\":{\"name\":\"abc\",\"location\":\"de/fra\",\"apiSubnetAllowList\":\"10.0.0.0/8\"}}")
                .post("/registries").then().statusCode(400)
                .body("messages[0].message", equalTo("properties.apiSubnetAllowList: must be an array"));
        asUser().body("[]").post("/registries").then().statusCode(400)
                .body("messages[0].message", containsString("JSON object"));
    }

    @Test
    void unknownPropertiesAreIgnored() {
        String name = uniqueName("unknown");
        asUser().body(Map.of("properties", Map.of("name", name, "location", "de/fra", "colour", "blue"), "extra", 1))
                .post("/registries").then().statusCode(201).body("properties.name", equalTo(name));
    }

    @Test
    void aBodyThatIsNotJsonAnswers415() {
        asUser().contentType(ContentType.TEXT).body("name=abc").post("/registries").then().statusCode(415)
                .contentType(ContentType.JSON)
                .body("httpStatus", equalTo(415))
                .body("messages[0].errorCode", equalTo("UNSUPPORTED_MEDIA_TYPE"));
    }

    @Test
    void aMissingBodyAnswers400() {
        asUser().post("/registries").then().statusCode(400)
                .body("messages[0].message", containsString("request body"));
    }

    @Test
    void anUnsupportedMethodAnswers405() {
        asUser().body(Map.of()).put("/locations").then().statusCode(405)
                .contentType(ContentType.JSON)
                .header("Allow", "GET, HEAD, OPTIONS")
                .body("httpStatus", equalTo(405))
                .body("messages[0].errorCode", equalTo("METHOD_NOT_ALLOWED"));
        // HTTP requires Allow on every 405: what the path takes, as the resources (through the OpenAPI) declare it
        asUser().delete("/registries").then().statusCode(405).header("Allow", "GET, HEAD, POST, OPTIONS");
        asUser().get("/names/some-name").then().statusCode(405).header("Allow", "HEAD, OPTIONS");
    }

    @Test
    void anUnknownPathAnswers404() {
        asUser().get("/no-such-thing").then().statusCode(404).contentType(ContentType.JSON)
                .body("messages[0].errorCode", equalTo("NOT_FOUND"));
    }

    @Test
    void errorsNeverCarryJavaClassNames() {
        asUser().body("{\"properties\":{\"name\":{\"a\":1},\"location\":[1]}}").post("/registries").then()
                .statusCode(400)
                .body(not(containsString("java.")))
                .body(not(containsString("com.registryservice")))
                .body(not(containsString("Exception")));
    }

    @org.junit.jupiter.api.Test
    void controlCharactersInAFilterAre400sNamingIt() {
        String id = com.registryservice.support.Api.create(com.registryservice.support.Api.uniqueName("nul"));
        for (String path : List.of("/registries", "/registries/" + id + "/repositories")) {
            com.registryservice.support.Api.asUser().urlEncodingEnabled(false).get(path + "?filter.name=%00").then()
                    .statusCode(400).body("httpStatus", org.hamcrest.Matchers.equalTo(400))
                    .body("messages[0].errorCode", org.hamcrest.Matchers.equalTo("INVALID_PARAMETER"))
                    .body("messages[0].message", org.hamcrest.Matchers.containsString("filter.name"));
        }
    }

    @org.junit.jupiter.api.Test
    void theHttpLayersOwnRefusalsCarryTheirOwnCodesNotConflict() {
        com.registryservice.support.Api.asUser().accept("text/plain").get("/registries").then().statusCode(406)
                .body("messages[0].errorCode", org.hamcrest.Matchers.equalTo("NOT_ACCEPTABLE"));
    }

    @org.junit.jupiter.api.Test
    void aBodyNestedTooDeeplyIsAnInvalidBodyNamingWhy() {
        String deep = "{\"unknown\":" + "[".repeat(1_500) + "]".repeat(1_500) + "}";
        com.registryservice.support.Api.asUser().body(deep).post("/registries").then().statusCode(400)
                .body("messages[0].errorCode", org.hamcrest.Matchers.equalTo("INVALID_REQUEST_BODY"))
                .body("messages[0].message", org.hamcrest.Matchers.containsString("nested"))
                .body("messages[0].message", org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("()")));
    }

    @org.junit.jupiter.api.Test
    void aNotAcceptableAnswerNamesWhatTheResourceServes() {
        com.registryservice.support.Api.asUser().accept("application/json").get("/events").then().statusCode(406)
                .body("messages[0].message", org.hamcrest.Matchers.containsString("text/event-stream"));
    }
}
