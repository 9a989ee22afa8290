package com.registryservice.oci;

import static com.registryservice.support.Api.asUser;
import static io.restassured.RestAssured.given;
import static com.registryservice.support.Oci.assertPullsWhole;
import static com.registryservice.support.Oci.pushImage;
import static com.registryservice.support.Oci.random;
import static com.registryservice.support.Oci.registry;
import static com.registryservice.support.Oci.sha256;
import static com.registryservice.support.Oci.utf8;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.registryservice.content.service.UploadHashes;
import com.registryservice.support.Oci;
import com.registryservice.support.Oci.Image;
import com.registryservice.support.Oci.Registry;
import com.registryservice.support.S3ProxyServer;
import com.registryservice.support.S3Storage;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The data plane with its bytes in S3 (S3Proxy): chunked uploads across multipart parts, an upload another instance
 * continues, and an S3 outage answered 503 without a manifest whose blobs are missing.
 */
@QuarkusTest
@TestProfile(S3Storage.class)
class S3DataPlaneTest {

    private static final int MIB = 1024 * 1024;

    @Inject
    UploadHashes hashes;

    /** The S3 endpoint this profile's service uses. */
    private static java.net.URI endpoint() {
        return org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("registry.storage.s3.endpoint",
                java.net.URI.class);
    }

    @Test
    void aChunkedUploadAcrossPartsContinuedByAnotherInstanceComesBackWhole() {
        Registry registry = registry();
        String repo = registry.repo("team/app");
        byte[] data = random(13 * MIB + 7, 21);
        String location = asUser().post(repo + "/blobs/uploads/").then().statusCode(202).extract().header("Location");
        String upload = location.substring(location.lastIndexOf('/') + 1);
        int[][] chunks = { { 0, 1 }, { 1, 6 * MIB }, { 6 * MIB, 9 * MIB } };
        for (int[] chunk : chunks) {
            location = asUser().contentType("application/octet-stream")
                    .header("Content-Range", chunk[0] + "-" + (chunk[1] - 1))
                    .body(Arrays.copyOfRange(data, chunk[0], chunk[1])).patch(location).then().statusCode(202)
                    .header("Range", "0-" + (chunk[1] - 1)).extract().header("Location");
        }
        // what another instance knows of the upload: nothing but what PostgreSQL and S3 hold
        hashes.forget(UUID.fromString(upload));
        // the rest streamed without a length (chunked transfer coding), as docker sends a layer
        location = asUser().contentType("application/octet-stream")
                .body(new ByteArrayInputStream(Arrays.copyOfRange(data, 9 * MIB, data.length))).patch(location).then()
                .statusCode(202).header("Range", "0-" + (data.length - 1)).extract().header("Location");
        asUser().put(location + "?digest=" + sha256(data)).then().statusCode(201);

        assertArrayEquals(data, asUser().get(repo + "/blobs/" + sha256(data)).then().statusCode(200)
                .header("Docker-Content-Digest", sha256(data)).extract().asByteArray());
        assertArrayEquals(Arrays.copyOfRange(data, 5 * MIB - 2, 5 * MIB + 2), asUser().header("Range",
                "bytes=" + (5 * MIB - 2) + "-" + (5 * MIB + 1)).get(repo + "/blobs/" + sha256(data)).then()
                .statusCode(206).extract().asByteArray());
        // the upload's parts and tail go right after the blob is recorded, in the background
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> !registry.holdsUpload(upload));
    }

    @Test
    void aCancelledUploadAbortsItsMultipartUpload() {
        Registry registry = registry();
        String repo = registry.repo("app");
        String location = asUser().post(repo + "/blobs/uploads/").then().statusCode(202).extract().header("Location");
        String upload = location.substring(location.lastIndexOf('/') + 1);
        location = asUser().contentType("application/octet-stream").body(random(6 * MIB, 25)).patch(location).then()
                .statusCode(202).extract().header("Location");
        String prefix = S3Storage.PREFIX + "uploads/" + registry.id() + "/" + upload + "/";
        S3ProxyServer s3 = S3ProxyServer.running(endpoint());
        assertEquals(1, s3.openMultipartUploads(S3Storage.BUCKET, prefix), "a whole part went to a multipart upload");
        asUser().delete(location).then().statusCode(204);
        assertEquals(0, s3.openMultipartUploads(S3Storage.BUCKET, prefix));
        assertEquals(false, registry.holdsUpload(upload));
    }

    @Test
    void aWrongDigestStoresNothing() {
        Registry registry = registry();
        String repo = registry.repo("app");
        byte[] data = random(6 * MIB, 22);
        String location = asUser().post(repo + "/blobs/uploads/").then().statusCode(202).extract().header("Location");
        String upload = location.substring(location.lastIndexOf('/') + 1);
        location = asUser().contentType("application/octet-stream").body(data).patch(location).then().statusCode(202)
                .extract().header("Location");
        String claimed = sha256(utf8("something else"));
        asUser().put(location + "?digest=" + claimed).then().statusCode(400)
                .body("errors[0].code", equalTo("DIGEST_INVALID"));
        assertEquals(false, registry.holdsBlob(claimed));
        assertEquals(false, registry.holdsBlob(sha256(data)));
        assertEquals(false, registry.holdsUpload(upload));
    }

    @Test
    void whileS3IsDownPushesAnswer503AndNoManifestIsStoredWithoutItsBlobs() throws Exception {
        Registry registry = registry();
        String repo = registry.repo("app");
        Image before = pushImage(repo, "before", List.of(random(10_000, 23)));
        byte[] layer = random(20_000, 24);
        S3ProxyServer s3 = S3ProxyServer.running(endpoint());
        s3.stopProcess();
        try {
            asUser().contentType("application/octet-stream").body(layer)
                    .post(repo + "/blobs/uploads/?digest=" + sha256(layer)).then().statusCode(503)
                    .header("Retry-After", not(emptyOrNullString()))
                    .body("errors[0].code", equalTo("UNAVAILABLE"));
            asUser().get(repo + "/blobs/" + before.blobs().get(1)).then().statusCode(503)
                    .body("errors[0].code", equalTo("UNAVAILABLE"));
            String manifest = Oci.manifest(before.blobs().get(0), before.contents().get(0).length,
                    List.of(sha256(layer)), List.of((long) layer.length));
            asUser().contentType("application/vnd.oci.image.manifest.v1+json").body(utf8(manifest))
                    .put(repo + "/manifests/during").then().statusCode(400)
                    .body("errors[0].code", equalTo("MANIFEST_BLOB_UNKNOWN"));
        } finally {
            s3.startProcess();
        }
        asUser().get(repo + "/manifests/during").then().statusCode(404);
        // back by itself: the same push works, and what was there is whole
        Image after = pushImage(repo, "after", List.of(layer));
        assertPullsWhole(repo, "after", after);
        assertPullsWhole(repo, "before", before);
    }

    @Test
    void whileS3HangsPullsAndPushesAnswer503InsteadOfWaitingForever() throws Exception {
        Registry registry = registry();
        String repo = registry.repo("app");
        Image image = pushImage(repo, "1", List.of(random(10_000, 25)));
        byte[] layer = random(20_000, 26);
        S3ProxyServer s3 = S3ProxyServer.running(endpoint());
        s3.pause();
        try {
            // registry.storage.s3.answer-timeout is 4s in this profile
            asUser().get(repo + "/blobs/" + image.blobs().get(1)).then().statusCode(503)
                    .header("Retry-After", not(emptyOrNullString()))
                    .body("errors[0].code", equalTo("UNAVAILABLE"))
                    .body("errors[0].message", containsString("blob storage"))
                    .header("ETag", nullValue()).header("Docker-Content-Digest", nullValue());
            // a push whose bytes go to it: bounded by the answer timeout plus the time its bytes need at 1 MiB/s
            asUser().contentType("application/octet-stream").body(layer)
                    .post(repo + "/blobs/uploads/?digest=" + sha256(layer)).then().statusCode(503)
                    .body("errors[0].code", equalTo("UNAVAILABLE"));
        } finally {
            s3.resume();
        }
        assertPullsWhole(repo, "1", image);
        asUser().contentType("application/octet-stream").body(layer)
                .post(repo + "/blobs/uploads/?digest=" + sha256(layer)).then().statusCode(201);
    }

    @Test
    void theStartupProbeSaysTheBucketAnswered() {
        given().port(9001).get("/q/health/started").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'Blob storage' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'Blob storage' }.data.bucket", equalTo(S3Storage.BUCKET));
    }
}
