package com.registryservice.token;

import static com.registryservice.support.Api.as;
import static com.registryservice.support.Api.asUser;
import static com.registryservice.support.Oci.random;
import static com.registryservice.support.Oci.sha256;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The Docker/OCI token flow: the token endpoint checks Basic credentials once and issues a short-lived bearer token
 * with the intersection of the scopes asked for and those allowed; the data plane then takes the bearer token alone.
 */
@QuarkusTest
class BearerFlowTest {

    private static String registryName(String registryId) {
        return asUser().get("/registries/{id}", registryId).then().extract().path("properties.name");
    }

    /** A bearer token from the token endpoint for {@code user}'s Basic credentials and the scope. */
    private static String bearer(String user, String password, String scope) {
        return given().auth().preemptive().basic(user, password).queryParam("service", "registry-service")
                .queryParam("scope", scope).get("/v2/_token").then().statusCode(200)
                .body("expires_in", equalTo(300)).extract().path("token");
    }

    private static int pushWith(String bearer, String repo, byte[] data) {
        return given().header("Authorization", "Bearer " + bearer).contentType("application/octet-stream").body(data)
                .post(repo + "/blobs/uploads/?digest=" + sha256(data)).then().extract().statusCode();
    }

    @Test
    void aUsersBearerTokenPushesAndPullsWhatItWasGranted() {
        String name = registryName(TokensApiTest.registry());
        String repo = "/v2/" + name + "/team/app";
        String token = bearer("tester", "tester-password", "repository:" + name + "/team/app:pull,push");
        byte[] data = random(1_500, 41);
        assertEquals(201, pushWith(token, repo, data));
        given().header("Authorization", "Bearer " + token).get(repo + "/blobs/" + sha256(data)).then().statusCode(200);
        given().header("Authorization", "Bearer " + token).get("/v2/").then().statusCode(200);
        // another repository: not in the token; the challenge names the scope to ask for
        List<String> challenges = given().header("Authorization", "Bearer " + token)
                .get("/v2/" + name + "/other/tags/list").then().statusCode(401)
                .body("errors[0].code", equalTo("UNAUTHORIZED")).extract().headers().getValues("WWW-Authenticate");
        assertEquals(true, challenges.get(0).contains("scope=\"repository:" + name + "/other:pull\"")
                && challenges.get(0).contains("error=\"insufficient_scope\""), challenges.toString());
    }

    @Test
    void theGrantIsTheIntersectionOfWhatIsAskedAndWhatIsAllowed() {
        String name = registryName(TokensApiTest.registry());
        // reader may pull in de/fra, not push: asking for both grants pull only
        String token = bearer("reader", "reader-password", "repository:" + name + "/app:pull,push");
        byte[] data = random(900, 42);
        assertEquals(401, pushWith(token, "/v2/" + name + "/app", data));
        given().header("Authorization", "Bearer " + token).get("/v2/" + name + "/app/tags/list").then()
                .statusCode(404).body("errors[0].code", equalTo("NAME_UNKNOWN"));
        // another contract gets a token granting nothing there
        String strangers = bearer("stranger", "stranger-password", "repository:" + name + "/app:pull");
        given().header("Authorization", "Bearer " + strangers).get("/v2/" + name + "/app/tags/list").then()
                .statusCode(401);
        // an action asked in capitals is the action: the token works for it
        String capitals = bearer("reader", "reader-password", "repository:" + name + "/app:PULL");
        given().header("Authorization", "Bearer " + capitals).get("/v2/" + name + "/app/tags/list").then()
                .statusCode(404).body("errors[0].code", equalTo("NAME_UNKNOWN"));
    }

    @Test
    void aRegistrysMachineTokenGetsABearerTokenWithinItsScopes() {
        String registry = TokensApiTest.registry();
        String name = registryName(registry);
        var issued = asUser().body(TokensApiTest.token("ci", List.of(TokensApiTest.scope("team/*", "pull", "push"))))
                .post("/registries/{id}/tokens", registry).then().statusCode(201).extract();
        String password = issued.path("properties.credentials.password");
        String token = bearer("ci", password, "repository:" + name + "/team/app:pull,push");
        assertEquals(201, pushWith(token, "/v2/" + name + "/team/app", random(700, 43)));
        String outside = bearer("ci", password, "repository:" + name + "/other/app:pull,push");
        assertEquals(401, pushWith(outside, "/v2/" + name + "/other/app", random(700, 44)));
        // the refusal says which access the request needed and why it was not granted
        given().header("Authorization", "Bearer " + outside).get("/v2/" + name + "/other/app/tags/list").then()
                .statusCode(401).body("errors[0].message", containsString("repository:" + name + "/other/app:pull"))
                .body("errors[0].message", containsString("the credentials it was asked with may not do it"));
    }

    @Test
    void theTokenEndpointNeedsCredentialsAndForgedTokensAreRefused() {
        given().get("/v2/_token?service=registry-service").then().statusCode(401)
                .header("WWW-Authenticate", "Basic realm=\"registry-service\"");
        given().auth().preemptive().basic("tester", "wrong").get("/v2/_token").then().statusCode(401);
        String token = bearer("tester", "tester-password", "repository:x/app:pull");
        String forged = token.substring(0, token.lastIndexOf('.') + 1) + "AAAA";
        given().header("Authorization", "Bearer " + forged).get("/v2/").then().statusCode(401)
                .body("errors[0].message", containsString("bearer token"));
        as("tester").get("/v2/").then().statusCode(200);
    }

    @Test
    void aBearerTokenStopsWorkingTheMomentItsRegistryTokenIsDisabledNarrowedOrDeleted() {
        String registry = TokensApiTest.registry();
        String name = registryName(registry);
        String repo = "/v2/" + name + "/team/app";
        var issued = asUser().body(TokensApiTest.token("revoked", List.of(TokensApiTest.scope("team/*", "pull", "push"))))
                .post("/registries/{id}/tokens", registry).then().statusCode(201).extract();
        String id = issued.path("id");
        String token = bearer("revoked", issued.path("properties.credentials.password"),
                "repository:" + name + "/team/app:pull,push");
        assertEquals(201, pushWith(token, repo, random(500, 45)));

        asUser().body(java.util.Map.of("status", "disabled")).patch("/registries/{id}/tokens/{t}", registry, id).then()
                .statusCode(200);
        given().header("Authorization", "Bearer " + token).get(repo + "/tags/list").then().statusCode(401)
                .body("errors[0].message", containsString("disabled"));
        asUser().body(java.util.Map.of("status", "enabled")).patch("/registries/{id}/tokens/{t}", registry, id).then()
                .statusCode(200);
        given().header("Authorization", "Bearer " + token).get(repo + "/tags/list").then().statusCode(200);

        // narrowed to pull: the push its bearer token was granted is refused, the pull still goes
        asUser().body(java.util.Map.of("scopes", List.of(TokensApiTest.scope("team/*", "pull"))))
                .patch("/registries/{id}/tokens/{t}", registry, id).then().statusCode(200);
        assertEquals(401, pushWith(token, repo, random(500, 46)));
        given().header("Authorization", "Bearer " + token).get(repo + "/tags/list").then().statusCode(200);

        // a bearer token is not traded for a fresh one (which would outlive any revocation)
        given().header("Authorization", "Bearer " + token).queryParam("service", "registry-service")
                .queryParam("scope", "repository:" + name + "/team/app:pull").get("/v2/_token").then().statusCode(401)
                .body("errors[0].message", containsString("Basic credentials"));
        // a disabled token gets no bearer token at all (docker login must not say it succeeded)
        asUser().body(java.util.Map.of("status", "disabled")).patch("/registries/{id}/tokens/{t}", registry, id).then()
                .statusCode(200);
        given().auth().preemptive().basic("revoked", (String) issued.path("properties.credentials.password"))
                .queryParam("service", "registry-service").get("/v2/_token").then().statusCode(401)
                .body("errors[0].message", containsString("disabled"));
        asUser().delete("/registries/{id}/tokens/{t}", registry, id).then().statusCode(204);
        given().header("Authorization", "Bearer " + token).get(repo + "/tags/list").then().statusCode(401)
                .body("errors[0].message", containsString("deleted"));
        given().header("Authorization", "Bearer " + token).get("/v2/").then().statusCode(401);
    }
}
