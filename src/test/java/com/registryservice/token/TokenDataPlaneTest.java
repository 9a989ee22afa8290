package com.registryservice.token;

import static com.registryservice.support.Api.asUser;
import static com.registryservice.support.Oci.random;
import static com.registryservice.support.Oci.sha256;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.registryservice.support.Database;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

/** Tokens on the OCI data plane over Basic auth: scopes, status, expiry and deletion, each taking effect at once. */
@QuarkusTest
class TokenDataPlaneTest {

    @Inject
    Database database;

    /** A registry's name and id, and a token of it with the scopes; answers a request as the token. */
    private record Issued(String registryId, String registryName, String tokenId, String username, String password) {
        RequestSpecification as() {
            return given().auth().preemptive().basic(username, password);
        }

        String repo(String repository) {
            return "/v2/" + registryName + "/" + repository;
        }
    }

    private static Issued issue(List<Map<String, Object>> scopes) {
        String registry = TokensApiTest.registry();
        String name = asUser().get("/registries/{id}", registry).then().extract().path("properties.name");
        var token = asUser().body(TokensApiTest.token("ci", scopes)).post("/registries/{id}/tokens", registry).then()
                .statusCode(201).extract();
        return new Issued(registry, name, token.path("id"), token.path("properties.credentials.username"),
                token.path("properties.credentials.password"));
    }

    private static int pushBlob(Issued t, String repository, byte[] data) {
        return t.as().contentType("application/octet-stream").body(data)
                .post(t.repo(repository) + "/blobs/uploads/?digest=" + sha256(data)).then().extract().statusCode();
    }

    @Test
    void aTokenPushesAndPullsWithinItsScopesOnly() {
        Issued t = issue(List.of(TokensApiTest.scope("team/*", "pull", "push")));
        byte[] data = random(2_000, 31);
        org.junit.jupiter.api.Assertions.assertEquals(201, pushBlob(t, "team/app", data));
        t.as().get(t.repo("team/app") + "/blobs/" + sha256(data)).then().statusCode(200);
        t.as().contentType("application/octet-stream").body(data)
                .post(t.repo("other/app") + "/blobs/uploads/?digest=" + sha256(data)).then().statusCode(403)
                .body("errors[0].code", equalTo("DENIED")).body("errors[0].message", containsString("'ci'"));
        t.as().delete(t.repo("team/app") + "/blobs/" + sha256(data)).then().statusCode(403)
                .body("errors[0].code", equalTo("DENIED"));
        // the base answers 200 for a token's credentials in path mode too (docker login does that first)
        t.as().get("/v2/").then().statusCode(200);
    }

    @Test
    void aTokenReachesNoBlobOfARepositoryOutsideItsScopesWhateverPathItNames() {
        Issued t = issue(List.of(TokensApiTest.scope("team/*", "pull", "push", "delete")));
        byte[] secret = random(3_000, 33);
        String digest = sha256(secret);
        asUser().contentType("application/octet-stream").body(secret)
                .post(t.repo("private/vault") + "/blobs/uploads/?digest=" + digest).then().statusCode(201);
        // named through a repository of its scopes, the blob of another is not there
        t.as().get(t.repo("team/anything") + "/blobs/" + digest).then().statusCode(404)
                .body("errors[0].code", equalTo("BLOB_UNKNOWN"));
        t.as().head(t.repo("team/anything") + "/blobs/" + digest).then().statusCode(404);
        // a mount from it is an upload session instead: the token may not pull from private/vault
        t.as().post(t.repo("team/stolen") + "/blobs/uploads/?mount=" + digest + "&from=" + t.registryName()
                + "/private/vault").then().statusCode(202);
        t.as().head(t.repo("team/stolen") + "/blobs/" + digest).then().statusCode(404);
        // and a delete through its scopes takes nothing from private/vault
        t.as().delete(t.repo("team/x") + "/blobs/" + digest).then().statusCode(404)
                .body("errors[0].code", equalTo("BLOB_UNKNOWN"));
        asUser().get(t.repo("private/vault") + "/blobs/" + digest).then().statusCode(200);
        // within its scopes, a mount works
        byte[] shared = random(1_000, 34);
        org.junit.jupiter.api.Assertions.assertEquals(201, pushBlob(t, "team/a", shared));
        t.as().post(t.repo("team/b") + "/blobs/uploads/?mount=" + sha256(shared) + "&from=" + t.registryName()
                + "/team/a").then().statusCode(201);
        t.as().get(t.repo("team/b") + "/blobs/" + sha256(shared)).then().statusCode(200);
    }

    @Test
    void aPullOnlyTokenCannotPush() {
        Issued t = issue(List.of(TokensApiTest.scope("*", "pull")));
        byte[] data = random(1_000, 32);
        org.junit.jupiter.api.Assertions.assertEquals(403, pushBlob(t, "app", data));
        t.as().get(t.repo("app") + "/tags/list").then().statusCode(404).body("errors[0].code", equalTo("NAME_UNKNOWN"));
    }

    @Test
    void disablingExpiringAndDeletingATokenStopItAtOnce() {
        Issued t = issue(List.of(TokensApiTest.scope("*", "pull")));
        String path = t.repo("app") + "/tags/list";
        t.as().get(path).then().statusCode(404);
        asUser().body(Map.of("status", "disabled")).patch("/registries/{id}/tokens/{t}", t.registryId(), t.tokenId())
                .then().statusCode(200);
        t.as().get(path).then().statusCode(401).body("errors[0].code", equalTo("UNAUTHORIZED"))
                .body("errors[0].message", containsString("disabled"));
        asUser().body(Map.of("status", "enabled")).patch("/registries/{id}/tokens/{t}", t.registryId(), t.tokenId())
                .then().statusCode(200);
        t.as().get(path).then().statusCode(404);
        database.update("update token set expiry_date = now() - interval '1 second' where id = $1::uuid", t.tokenId());
        t.as().get(path).then().statusCode(401).body("errors[0].message", containsString("expired"));
        database.update("update token set expiry_date = null where id = $1::uuid", t.tokenId());
        t.as().get(path).then().statusCode(404);
        asUser().delete("/registries/{id}/tokens/{t}", t.registryId(), t.tokenId()).then().statusCode(204);
        t.as().get(path).then().statusCode(401).body("errors[0].code", equalTo("UNAUTHORIZED"));
    }

    @Test
    void aWrongPasswordOrAnotherRegistrysTokenIsRefused() {
        Issued t = issue(List.of(TokensApiTest.scope("*", "pull")));
        given().auth().preemptive().basic(t.username(), t.password() + "x").get(t.repo("app") + "/tags/list").then()
                .statusCode(401).body("errors[0].code", equalTo("UNAUTHORIZED"));
        Issued other = issue(List.of(TokensApiTest.scope("*", "pull")));
        // the same user name "ci" in another registry: its password does not open this one
        other.as().get(t.repo("app") + "/tags/list").then().statusCode(401)
                .body("errors[0].message", containsString("a token works only on its own registry"));
    }

    @Test
    void guessingATokensPasswordIsCutOffWithoutHashingEveryGuess() {
        Issued t = issue(List.of(TokensApiTest.scope("*", "pull")));
        // a user name of its own, so that no other test's failures count
        String username = t.username();
        String path = t.repo("app") + "/tags/list";
        for (int i = 0; i < 10; i++) {
            given().auth().preemptive().basic(username, "guess-" + i).get(path).then().statusCode(401);
        }
        given().auth().preemptive().basic(username, "guess-10").get(path).then().statusCode(429)
                .header("Retry-After", "60").body("errors[0].code", equalTo("TOOMANYREQUESTS"));
        // even the right password waits out the window: the guesser cannot tell
        t.as().get(path).then().statusCode(429);
        // other users are not affected
        asUser().get(path).then().statusCode(404);
    }
}
