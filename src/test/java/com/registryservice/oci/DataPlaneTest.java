package com.registryservice.oci;

import static com.registryservice.support.Api.as;
import static com.registryservice.support.Api.asUser;
import static com.registryservice.support.Oci.pushBlob;
import static com.registryservice.support.Oci.sha256;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Test;

import com.registryservice.support.Database;
import com.registryservice.support.Oci;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** The OCI data plane against the running service: push, pull, digests, errors and who may do what. */
@QuarkusTest
class DataPlaneTest {

    @Inject
    Database database;

    private static byte[] random(int size) {
        return Oci.random(size, size);
    }

    private static String registry() {
        return Oci.registry().prefix();
    }

    private static String manifest(String config, byte[] configData, String layer, byte[] layerData) {
        return Oci.manifest(config, configData.length, java.util.List.of(layer), java.util.List.of((long) layerData.length));
    }

    @Test
    void theBaseAnswers401WithAChallengeWithoutCredentialsAnd200WithThem() {
        java.util.List<String> challenges = given().get("/v2/").then().statusCode(401)
                .header("Docker-Distribution-API-Version", "registry/2.0").body("errors[0].code", equalTo("UNAUTHORIZED"))
                .extract().headers().getValues("WWW-Authenticate");
        assertEquals(java.util.List.of("Bearer realm=\"http://localhost:" + io.restassured.RestAssured.port
                + "/v2/_token\",service=\"registry-service\"", "Basic realm=\"registry-service\""), challenges);
        asUser().get("/v2/").then().statusCode(200).header("Docker-Distribution-API-Version", "registry/2.0");
        given().auth().preemptive().basic("tester", "wrong").get("/v2/").then().statusCode(401)
                .body("errors[0].code", equalTo("UNAUTHORIZED"));
    }

    @Test
    void theBaseAndTheTokenEndpointAnswerGetOnly() {
        asUser().head("/v2/").then().statusCode(200);
        for (String method : new String[] { "POST", "PUT", "DELETE", "PATCH", "PROPFIND" }) {
            asUser().request(method, "/v2/").then().statusCode(405).header("Allow", "GET, HEAD")
                    .body("errors[0].code", equalTo("UNSUPPORTED"));
            // nor does the token endpoint take anything but the token flow's GET
            asUser().request(method, "/v2/_token").then().statusCode(405).header("Allow", "GET")
                    .body("errors[0].code", equalTo("UNSUPPORTED"));
        }
    }

    @Test
    void anUploadAnotherWriterHoldsSaysUntilWhenAndTheUploadGoesOnAfterwards() {
        String repo = registry() + "/team/app";
        String upload = asUser().post(repo + "/blobs/uploads/").then().statusCode(202).extract().header("Location");
        String id = upload.substring(upload.lastIndexOf('/') + 1);
        // as a writer that crashed leaves it: claimed until a time to come
        database.update("update upload set writing_until = timestamptz '2031-01-02 03:04:05.678Z' where id = $1::uuid",
                id);
        asUser().contentType("application/octet-stream").body(new byte[10]).patch(upload).then().statusCode(416)
                .body("errors[0].code", equalTo("BLOB_UPLOAD_INVALID"))
                .body("errors[0].message", org.hamcrest.Matchers.containsString("its claim runs out at"
                        + " 2031-01-02T03:04:05Z"));
        database.update("update upload set writing_until = now() - interval '1 second' where id = $1::uuid", id);
        asUser().contentType("application/octet-stream").body(new byte[10]).patch(upload).then().statusCode(202)
                .header("Range", "0-9");
    }

    @Test
    void anImagePushedInChunksIsPulledBackByteIdentical() throws Exception {
        String repo = registry() + "/team/app";
        byte[] layer = random(300_000);
        String upload = asUser().post(repo + "/blobs/uploads/").then().statusCode(202).header("Range", "0-0")
                .extract().header("Location");
        String after = asUser().contentType("application/octet-stream").header("Content-Range", "0-99999")
                .body(java.util.Arrays.copyOfRange(layer, 0, 100_000)).patch(upload).then().statusCode(202)
                .header("Range", "0-99999").extract().header("Location");
        // out of order: 416, and the upload is unchanged
        asUser().contentType("application/octet-stream").header("Content-Range", "0-99")
                .body(new byte[100]).patch(after).then().statusCode(416)
                .body("errors[0].code", equalTo("BLOB_UPLOAD_INVALID"));
        asUser().get(after).then().statusCode(204).header("Range", "0-99999");
        String layerDigest = sha256(layer);
        asUser().contentType("application/octet-stream").body(java.util.Arrays.copyOfRange(layer, 100_000, 300_000))
                .put(after + "?digest=" + layerDigest).then().statusCode(201)
                .header("Docker-Content-Digest", layerDigest);
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
        String configDigest = pushBlob(repo, config);
        byte[] manifest = manifest(configDigest, config, layerDigest, layer).getBytes(StandardCharsets.UTF_8);
        asUser().contentType("application/vnd.oci.image.manifest.v1+json").body(manifest).put(repo + "/manifests/v1")
                .then().statusCode(201).header("Docker-Content-Digest", sha256(manifest));

        byte[] pulled = asUser().get(repo + "/manifests/v1").then().statusCode(200)
                .header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                .header("Docker-Content-Digest", sha256(manifest)).extract().asByteArray();
        assertArrayEquals(manifest, pulled, "the manifest comes back byte for byte");
        assertArrayEquals(layer, asUser().get(repo + "/blobs/" + layerDigest).then().statusCode(200)
                .header("Content-Length", "300000").extract().asByteArray());
        assertArrayEquals(java.util.Arrays.copyOfRange(layer, 10, 20), asUser().header("Range", "bytes=10-19")
                .get(repo + "/blobs/" + layerDigest).then().statusCode(206)
                .header("Content-Range", "bytes 10-19/300000").extract().asByteArray());
        asUser().get(repo + "/tags/list").then().statusCode(200).body("tags", hasItem("v1"));
    }

    @Test
    void aDigestMismatchIsRefusedAndStoresNothing() throws Exception {
        String prefix = registry();
        String repo = prefix + "/app";
        byte[] data = random(5_000);
        String wrong = sha256("something else".getBytes(StandardCharsets.UTF_8));
        asUser().contentType("application/octet-stream").body(data).post(repo + "/blobs/uploads/?digest=" + wrong)
                .then().statusCode(400).body("errors[0].code", equalTo("DIGEST_INVALID"));
        asUser().head(repo + "/blobs/" + wrong).then().statusCode(404);
        asUser().head(repo + "/blobs/" + sha256(data)).then().statusCode(404);
        String registry = prefix.substring("/v2/".length());
        assertEquals(0L, database.query("select count(*) from blob b join registry r on r.id = b.registry_id"
                + " where r.name = $1", registry).get(0).getLong(0));
        assertEquals(0L, database.query("select count(*) from upload u join registry r on r.id = u.registry_id"
                + " where r.name = $1", registry).get(0).getLong(0), "the failed upload is gone too");
    }

    @Test
    void aManifestReferencingAMissingBlobIsRefused() throws Exception {
        String repo = registry() + "/app";
        byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
        String configDigest = pushBlob(repo, config);
        String missing = sha256("never pushed".getBytes(StandardCharsets.UTF_8));
        asUser().contentType("application/vnd.oci.image.manifest.v1+json")
                .body(manifest(configDigest, config, missing, new byte[1])).put(repo + "/manifests/latest")
                .then().statusCode(400).body("errors[0].code", equalTo("MANIFEST_BLOB_UNKNOWN"))
                .body("errors[0].detail", hasItem(missing));
        asUser().get(repo + "/manifests/latest").then().statusCode(404).body("errors[0].code",
                equalTo("MANIFEST_UNKNOWN"));
    }

    @Test
    void readersMayPullButNotPushAndOtherContractsSeeNoRegistry() {
        String prefix = registry();
        as("reader").get(prefix + "/app/tags/list").then().statusCode(404)
                .body("errors[0].code", equalTo("NAME_UNKNOWN"));
        as("reader").post(prefix + "/app/blobs/uploads/").then().statusCode(403)
                .body("errors[0].code", equalTo("DENIED"));
        String strangers = as("stranger").post(prefix + "/app/blobs/uploads/").then().statusCode(404)
                .extract().path("errors[0].message");
        String unknown = as("stranger").post("/v2/no-such-registry-x/app/blobs/uploads/").then().statusCode(404)
                .extract().path("errors[0].message");
        assertEquals(unknown.replace("no-such-registry-x", "X"),
                strangers.replace(prefix.substring("/v2/".length()), "X"), "indistinguishable");
    }

    @Test
    void badNamesAndDigestsGetTheSpecsCodes() {
        String prefix = registry();
        asUser().post(prefix + "/Bad_Name/blobs/uploads/").then().statusCode(400)
                .body("errors[0].code", equalTo("NAME_INVALID"));
        asUser().head(prefix + "/app/blobs/sha256:zz").then().statusCode(400);
        String unknown = asUser().get(prefix + "/app/blobs/uploads/not-an-upload").then().statusCode(404)
                .body("errors[0].code", equalTo("BLOB_UPLOAD_UNKNOWN")).extract().asString();
        // every error has the three members, detail empty when there is nothing more to say
        io.vertx.core.json.JsonObject error = new io.vertx.core.json.JsonObject(unknown).getJsonArray("errors")
                .getJsonObject(0);
        org.junit.jupiter.api.Assertions.assertEquals(java.util.Set.of("code", "message", "detail"), error.fieldNames());
        org.junit.jupiter.api.Assertions.assertEquals(new io.vertx.core.json.JsonObject(), error.getValue("detail"));
    }

    @Test
    void aClientThatHangsUpMidBodyIsNoErrorAndTheUploadGoesOn() throws Exception {
        String repo = registry() + "/app";
        String location = asUser().post(repo + "/blobs/uploads/").then().statusCode(202).extract().header("Location");
        try (var log = com.registryservice.support.LogCapture.of("com.registryservice")) {
            for (String method : new String[] { "PATCH", "PUT" }) {
                String target = method.equals("PATCH") ? location
                        : repo + "/manifests/gone";
                try (java.net.Socket socket = new java.net.Socket("localhost", io.restassured.RestAssured.port)) {
                    socket.getOutputStream().write((method + " " + target + " HTTP/1.1\r\nHost: localhost\r\n"
                            + "Authorization: " + com.registryservice.support.Api.basicAuth("tester")
                            + "\r\nContent-Type: application/vnd.oci.image.manifest.v1+json\r\nContent-Length: 1000"
                            + "\r\n\r\n{\"a\":").getBytes(StandardCharsets.US_ASCII));
                    socket.getOutputStream().flush();
                }
            }
            // both hang-ups are seen (at DEBUG in tests), and neither is logged as the service's failure
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .untilAsserted(() -> assertEquals(2, log.messages(java.util.logging.Level.FINE).stream()
                            .filter(m -> m.contains("hung up")).count(), log.messages(java.util.logging.Level.ALL)
                            .toString()));
            assertEquals(java.util.List.of(), log.messages(java.util.logging.Level.WARNING));
        }
        asUser().contentType("application/octet-stream").body(new byte[] { 1, 2, 3 }).patch(location).then()
                .statusCode(202).header("Range", "0-2");
    }

    /**
     * A request whose head is sent asking to be told to go on ({@code Expect: 100-continue}) and whose body is not;
     * returned once the service says go on, which it says only to a request it admitted.
     */
    private static java.net.Socket admitted(String head) throws java.io.IOException {
        java.net.Socket socket = new java.net.Socket("localhost", io.restassured.RestAssured.port);
        socket.getOutputStream().write((head + "Authorization: " + com.registryservice.support.Api.basicAuth("tester")
                + "\r\nExpect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        socket.setSoTimeout(20_000);
        assertEquals("HTTP/1.1 100 Continue", line(socket.getInputStream()));
        assertEquals("", line(socket.getInputStream()));
        return socket;
    }

    /** One line of an answer, read byte by byte so that nothing after it is taken from the stream. */
    private static String line(java.io.InputStream in) throws java.io.IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new java.io.EOFException("the answer ended after '" + line + "'");
            }
            line.append((char) b);
        }
        return line.toString().strip();
    }

    /** A manifest push admitted and whose body of {@code size} bytes is not sent: it holds its memory. */
    private static java.net.Socket heldManifest(String repo, String tag, int size) throws java.io.IOException {
        return admitted("PUT " + repo + "/manifests/" + tag + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
                + "application/vnd.oci.image.manifest.v1+json\r\nContent-Length: " + size + "\r\n");
    }

    /** Sends the rest of a held request's body and reads its status line. */
    private static String finish(java.net.Socket held, byte[] rest) throws java.io.IOException {
        held.getOutputStream().write(rest);
        held.getOutputStream().flush();
        held.setSoTimeout(20_000);
        return new java.io.BufferedReader(new java.io.InputStreamReader(held.getInputStream(), StandardCharsets.US_ASCII))
                .readLine();
    }

    private static void closeAll(java.util.List<java.net.Socket> sockets) throws java.io.IOException {
        for (java.net.Socket socket : sockets) {
            socket.close();
        }
    }

    private static final int FOUR_MIB = 4 * 1024 * 1024;

    private static byte[] notAManifest(int size) {
        byte[] garbage = new byte[size];
        java.util.Arrays.fill(garbage, (byte) 'x');
        return garbage;
    }

    private static io.restassured.response.ValidatableResponse putManifest(String repo, String tag, byte[] body) {
        return asUser().contentType("application/vnd.oci.image.manifest.v1+json").body(body).put(repo + "/manifests/" + tag)
                .then();
    }

    @Test
    void manifestsBeingReceivedHoldAtMostTheirMemoryAndOneMoreIsAnswered429() throws Exception {
        // two registries, each under its share (5 of the 9 MiB the tests give manifests)
        String first = registry() + "/app";
        String second = registry() + "/app";
        byte[] garbage = notAManifest(FOUR_MIB);
        // two pushes of 4 MiB manifests whose bodies have not come yet: 8 of the 9 MiB
        java.util.List<java.net.Socket> held = new java.util.ArrayList<>();
        try {
            held.add(heldManifest(first, "held", FOUR_MIB));
            held.add(heldManifest(second, "held", FOUR_MIB));
            // a third 4 MiB manifest, in a third registry, is turned away before a byte of it is kept
            String third = registry() + "/app";
            putManifest(third, "third", garbage).statusCode(429).header("Retry-After", "1")
                    .body("errors[0].code", equalTo("TOOMANYREQUESTS"))
                    .body("errors[0].message", org.hamcrest.Matchers.containsString("the manifests this instance is"
                            + " receiving would pass the 9 MiB"));
            // a small one still fits (it is refused for what it says, not for the memory)
            putManifest(third, "small", "{}".getBytes(StandardCharsets.US_ASCII)).statusCode(400)
                    .body("errors[0].code", equalTo("MANIFEST_INVALID"));
            for (java.net.Socket socket : held) {
                assertEquals("HTTP/1.1 400 Bad Request", finish(socket, garbage));
            }
            // their memory is given back once they are answered
            putManifest(third, "third", garbage).statusCode(400).body("errors[0].code", equalTo("MANIFEST_INVALID"));
        } finally {
            closeAll(held);
        }
    }

    @Test
    void oneRegistrysManifestsHoldAtMostItsShareAndOtherRegistriesStillPush() throws Exception {
        String busy = registry() + "/app";
        String other = registry() + "/app";
        byte[] garbage = notAManifest(FOUR_MIB);
        // one registry receives a 4 MiB manifest: 4 of its 5 MiB share
        java.net.Socket held = heldManifest(busy, "held", FOUR_MIB);
        try {
            // its second one would pass its share, though the instance has room for it
            putManifest(busy, "second", garbage).statusCode(429).header("Retry-After", "1")
                    .body("errors[0].code", equalTo("TOOMANYREQUESTS"))
                    .body("errors[0].message", org.hamcrest.Matchers.containsString("this registry's manifests being"
                            + " received on this instance would pass its share of 5 MiB (of the instance's 9 MiB)"));
            // another registry's push of the same size is taken (and refused only for what it says)
            putManifest(other, "other", garbage).statusCode(400).body("errors[0].code", equalTo("MANIFEST_INVALID"));
            assertEquals("HTTP/1.1 400 Bad Request", finish(held, garbage));
            // the share is given back once the held one is answered
            putManifest(busy, "second", garbage).statusCode(400).body("errors[0].code", equalTo("MANIFEST_INVALID"));
        } finally {
            held.close();
        }
    }

    @Test
    void aChunkThatEndsAfterItsUploadWasCancelledIsNotAccepted() throws Exception {
        String repo = registry() + "/app";
        String location = asUser().post(repo + "/blobs/uploads/").then().statusCode(202).extract().header("Location");
        try (java.net.Socket socket = new java.net.Socket("localhost", io.restassured.RestAssured.port)) {
            socket.getOutputStream().write(("PATCH " + location + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
                    + com.registryservice.support.Api.basicAuth("tester") + "\r\nContent-Type: application/octet-stream"
                    + "\r\nContent-Length: 6\r\n\r\nabc").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            // the chunk is under way once the upload is taken (a chunk that does not fit says it is not)
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() -> asUser()
                    .contentType("application/octet-stream").header("Content-Range", "999-999").body(new byte[] { 1 })
                    .patch(location).then().statusCode(416)
                    .body("errors[0].message", org.hamcrest.Matchers.containsString("another request is writing")));
            asUser().delete(location).then().statusCode(204);
            socket.getOutputStream().write("def".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            socket.setSoTimeout(20_000);
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            // 202 before: bytes kept for an upload that no longer existed
            assertEquals("HTTP/1.1 404 Not Found", status);
        }
    }

    /** A chunk of 3 bytes admitted and whose bytes are not sent: an upload streaming. */
    private static java.net.Socket heldUpload(String repo) throws java.io.IOException {
        String location = asUser().post(repo + "/blobs/uploads/").then().statusCode(202).extract().header("Location");
        return admitted("PATCH " + location + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/octet-stream"
                + "\r\nContent-Length: 3\r\n");
    }

    /** A monolithic upload of {@code bytes} (it streams bytes too). */
    private static io.restassured.response.ValidatableResponse monolithic(String repo, byte[] bytes) {
        return asUser().contentType("application/octet-stream").body(bytes)
                .post(repo + "/blobs/uploads/?digest=" + sha256(bytes)).then();
    }

    @Test
    void uploadsBeyondTheInstancesLimitAreAnswered429AndRetriesSucceedOnceOthersEnd() throws Exception {
        // six uploads whose bodies are under way, three in each of two registries (each under its share of 4)
        java.util.List<java.net.Socket> held = new java.util.ArrayList<>();
        String first = registry() + "/app";
        String second = registry() + "/app";
        for (int i = 0; i < 3; i++) {
            held.add(heldUpload(first));
            held.add(heldUpload(second));
        }
        // a monolithic upload in a third registry (a POST that only starts an upload streams nothing: not counted)
        String third = registry() + "/app";
        byte[] seventh = Oci.random(3, 7);
        try {
            // the seventh is turned away with the spec's code
            monolithic(third, seventh).statusCode(429).header("Retry-After", "1")
                    .body("errors[0].code", equalTo("TOOMANYREQUESTS"))
                    .body("errors[0].message", org.hamcrest.Matchers.containsString("this instance streams 6 uploads"));
            asUser().post(third + "/blobs/uploads/").then().statusCode(202);
            for (java.net.Socket socket : held) {
                assertEquals("HTTP/1.1 202 Accepted", finish(socket, new byte[] { 1, 2, 3 }));
            }
        } finally {
            closeAll(held);
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                .until(() -> monolithic(third, seventh).extract().statusCode() == 201);
    }

    @Test
    void oneRegistrysUploadsBeyondItsShareAreAnswered429WhileOtherRegistriesStillPush() throws Exception {
        String busy = registry() + "/app";
        java.util.List<java.net.Socket> held = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            held.add(heldUpload(busy));
        }
        byte[] fifth = Oci.random(3, 8);
        try {
            // the registry's fifth upload passes its share of 4, though the instance streams only 4 of its 6
            monolithic(busy, fifth).statusCode(429).header("Retry-After", "1")
                    .body("errors[0].code", equalTo("TOOMANYREQUESTS"))
                    .body("errors[0].message", org.hamcrest.Matchers.containsString("this registry streams 4 uploads"));
            // one who may only pull is told that, not to come back later
            as("reader").contentType("application/octet-stream").body(fifth)
                    .post(busy + "/blobs/uploads/?digest=" + sha256(fifth)).then().statusCode(403)
                    .body("errors[0].code", equalTo("DENIED"));
            // another registry's upload streams
            monolithic(registry() + "/app", Oci.random(3, 9)).statusCode(201);
            for (java.net.Socket socket : held) {
                assertEquals("HTTP/1.1 202 Accepted", finish(socket, new byte[] { 1, 2, 3 }));
            }
        } finally {
            closeAll(held);
        }
        // the share is given back once they end
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                .until(() -> monolithic(busy, fifth).extract().statusCode() == 201);
    }

    @Test
    void aPathWithoutARepositoryIsRefusedNamingTheShapeBeforeAnyCredentials() {
        com.registryservice.support.Oci.Registry registry = com.registryservice.support.Oci.registry();
        // skopeo given localhost:8080/<registry>:1 asks for /v2/<registry>/manifests/1, without credentials first
        given().get(registry.prefix() + "/manifests/1").then().statusCode(400)
                .body("errors[0].code", equalTo("NAME_INVALID"))
                .body("errors[0].message", org.hamcrest.Matchers.containsString(
                        "no repository in the path: after the registry (" + registry.prefix() + ")"));
        as("tester").post(registry.prefix() + "/blobs/uploads/").then().statusCode(400)
                .body("errors[0].code", equalTo("NAME_INVALID"));
        // a repository may well be called "manifests": its own path is served
        asUser().get(registry.prefix() + "/manifests/manifests/1").then().statusCode(404);
    }
}
