package com.registryservice.oci;

import static com.registryservice.support.Api.asUser;
import static com.registryservice.support.Oci.pushBlob;
import static com.registryservice.support.Oci.pushImage;
import static com.registryservice.support.Oci.random;
import static com.registryservice.support.Oci.registry;
import static com.registryservice.support.Oci.sha256;
import static com.registryservice.support.Oci.utf8;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyOrNullString;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.registryservice.support.Oci.Image;
import com.registryservice.support.Oci.Registry;

import io.quarkus.test.junit.QuarkusTest;

/**
 * Each endpoint of the OCI Distribution API and each error code it documents, one behaviour per test, against the
 * running service (path mode unless a test says otherwise).
 */
@QuarkusTest
class DistributionApiTest {

    private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";

    private static String descriptor(String mediaType, Image image) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + image.digest() + "\",\"size\":"
                + image.manifest().length + "}";
    }

    @Test
    void aStreamedUploadWithoutContentRangeIsFinishedByPut() {
        String repo = registry().repo("app");
        byte[] data = random(70_000, 11);
        String location = asUser().post(repo + "/blobs/uploads/").then().statusCode(202).extract().header("Location");
        String next = asUser().contentType("application/octet-stream").body(data).patch(location).then().statusCode(202)
                .header("Range", "0-69999").header("Docker-Upload-UUID", not(emptyOrNullString())).extract()
                .header("Location");
        asUser().put(next + "?digest=" + sha256(data)).then().statusCode(201)
                .header("Location", repo + "/blobs/" + sha256(data));
        assertArrayEquals(data, asUser().get(repo + "/blobs/" + sha256(data)).then().statusCode(200)
                .header("Docker-Content-Digest", sha256(data)).extract().asByteArray());
    }

    @Test
    void aCancelledUploadIsGone() {
        String repo = registry().repo("app");
        String location = asUser().post(repo + "/blobs/uploads/").then().statusCode(202).extract().header("Location");
        asUser().delete(location).then().statusCode(204);
        asUser().get(location).then().statusCode(404).body("errors[0].code", equalTo("BLOB_UPLOAD_UNKNOWN"));
        asUser().delete(location).then().statusCode(404).body("errors[0].code", equalTo("BLOB_UPLOAD_UNKNOWN"));
    }

    @Test
    void aBlobIsMountedFromAnotherRepositoryOfTheRegistry() {
        Registry registry = registry();
        byte[] data = random(5_000, 12);
        String digest = pushBlob(registry.repo("source"), data);
        asUser().post(registry.repo("target") + "/blobs/uploads/?mount=" + digest + "&from=source").then()
                .statusCode(201).header("Location", registry.repo("target") + "/blobs/" + digest)
                .header("Docker-Content-Digest", digest);
        // named as docker and skopeo name it in path mode (the registry's name in front)
        asUser().post(registry.repo("third") + "/blobs/uploads/?mount=" + digest + "&from=" + registry.name()
                + "/source").then().statusCode(201);
        // a blob the registry lacks, or one the named repository lacks, or no repository named: an upload instead
        String unknown = sha256(utf8("not here"));
        asUser().post(registry.repo("target") + "/blobs/uploads/?mount=" + unknown + "&from=source").then()
                .statusCode(202).header("Location", not(emptyOrNullString()));
        asUser().post(registry.repo("fourth") + "/blobs/uploads/?mount=" + digest + "&from=elsewhere").then()
                .statusCode(202);
        asUser().post(registry.repo("fourth") + "/blobs/uploads/?mount=" + digest).then().statusCode(202);
        asUser().head(registry.repo("fourth") + "/blobs/" + digest).then().statusCode(404);
    }

    @Test
    void aBlobIsHeldPerRepositoryThoughItsBytesAreStoredOnce() {
        Registry registry = registry();
        byte[] data = random(4_000, 15);
        String digest = pushBlob(registry.repo("a"), data);
        // another repository does not hold it: not served, not deletable, not referenced by its manifests
        asUser().get(registry.repo("b") + "/blobs/" + digest).then().statusCode(404)
                .body("errors[0].code", equalTo("BLOB_UNKNOWN"));
        asUser().delete(registry.repo("b") + "/blobs/" + digest).then().statusCode(404);
        byte[] config = utf8("{}");
        String configDigest = pushBlob(registry.repo("b"), config);
        String manifest = com.registryservice.support.Oci.manifest(configDigest, 2, List.of(digest),
                List.of(4_000L));
        asUser().contentType(OCI_MANIFEST).body(manifest).put(registry.repo("b") + "/manifests/1").then().statusCode(400)
                .body("errors[0].code", equalTo("MANIFEST_BLOB_UNKNOWN"));
        // mounted into b, then deleted from a: b still serves it, and its bytes stay
        asUser().post(registry.repo("b") + "/blobs/uploads/?mount=" + digest + "&from=a").then().statusCode(201);
        asUser().contentType(OCI_MANIFEST).body(manifest).put(registry.repo("b") + "/manifests/1").then().statusCode(201);
        asUser().delete(registry.repo("a") + "/blobs/" + digest).then().statusCode(202);
        asUser().get(registry.repo("a") + "/blobs/" + digest).then().statusCode(404);
        asUser().get(registry.repo("b") + "/blobs/" + digest).then().statusCode(200);
        org.junit.jupiter.api.Assertions.assertTrue(registry.holdsBlob(digest));
        // in use by b's manifest: b cannot delete it
        asUser().delete(registry.repo("b") + "/blobs/" + digest).then().statusCode(405);
    }

    @Test
    void aManifestThatGivesABlobAnotherSizeIsRefusedNamingTheDescriptor() {
        Registry registry = registry();
        String repo = registry.repo("app");
        String layer = pushBlob(repo, random(4_000, 16));
        String config = pushBlob(repo, utf8("{}"));
        asUser().contentType(OCI_MANIFEST).body(com.registryservice.support.Oci.manifest(config, 2, List.of(layer),
                List.of(4_001L))).put(repo + "/manifests/1").then().statusCode(400)
                .body("errors[0].code", equalTo("MANIFEST_INVALID"))
                .body("errors[0].message", equalTo("layers[0] gives " + layer + " a size of 4001 bytes, but the blob"
                        + " has 4000 bytes: a client pulling it would refuse it"));
        asUser().contentType(OCI_MANIFEST).body(com.registryservice.support.Oci.manifest(config, 3, List.of(layer),
                List.of(4_000L))).put(repo + "/manifests/1").then().statusCode(400)
                .body("errors[0].message", containsString("config gives " + config + " a size of 3 bytes"));
        asUser().get(repo + "/manifests/1").then().statusCode(404);
        asUser().contentType(OCI_MANIFEST).body(com.registryservice.support.Oci.manifest(config, 2, List.of(layer),
                List.of(4_000L))).put(repo + "/manifests/1").then().statusCode(201);
    }

    @Test
    void aManifestThatGivesOneBlobTwoSizesIsRefused() {
        String repo = registry().repo("app");
        String layer = pushBlob(repo, random(1_000, 17));
        String config = pushBlob(repo, utf8("{}"));
        asUser().contentType(OCI_MANIFEST).body(com.registryservice.support.Oci.manifest(config, 2,
                List.of(layer, layer), List.of(1_000L, 999L))).put(repo + "/manifests/1").then().statusCode(400)
                .body("errors[0].code", equalTo("MANIFEST_INVALID"))
                .body("errors[0].message", equalTo("layers[1] gives " + layer + " a size of 999 bytes, layers[0]"
                        + " gives it 1000"));
    }

    @Test
    void anIndexThatGivesAManifestAnotherSizeIsRefused() {
        String repo = registry().repo("app");
        Image image = pushImage(repo, "child", List.of(random(500, 18)));
        String wrong = "{\"mediaType\":\"" + OCI_MANIFEST + "\",\"digest\":\"" + image.digest() + "\",\"size\":"
                + (image.manifest().length + 1) + "}";
        asUser().contentType(OCI_INDEX).body("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX
                + "\",\"manifests\":[" + descriptor(OCI_MANIFEST, image) + "," + wrong + "]}")
                .put(repo + "/manifests/all").then().statusCode(400).body("errors[0].code", equalTo("MANIFEST_INVALID"))
                .body("errors[0].message", containsString("manifests[1] gives " + image.digest() + " a size of "));
        asUser().contentType(OCI_INDEX).body("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX
                + "\",\"manifests\":[" + wrong + "]}").put(repo + "/manifests/all").then().statusCode(400)
                .body("errors[0].message", equalTo("manifests[0] gives " + image.digest() + " a size of "
                        + (image.manifest().length + 1) + " bytes, but the manifest has " + image.manifest().length
                        + " bytes: a client pulling it would refuse it"));
    }

    @Test
    void sha512DigestsAreVerifiedToo() throws Exception {
        String repo = registry().repo("app");
        byte[] data = random(3_000, 13);
        String digest = "sha512:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(data));
        asUser().contentType("application/octet-stream").body(data).post(repo + "/blobs/uploads/?digest=" + digest)
                .then().statusCode(201).header("Docker-Content-Digest", digest);
        asUser().head(repo + "/blobs/" + digest).then().statusCode(200).header("Content-Length", "3000");
        String wrong = "sha512:" + "0".repeat(128);
        asUser().contentType("application/octet-stream").body(data).post(repo + "/blobs/uploads/?digest=" + wrong)
                .then().statusCode(400).body("errors[0].code", equalTo("DIGEST_INVALID"));
    }

    @Test
    void headOfABlobAndOfAManifestAnswerTheirHeadersWithoutABody() {
        String repo = registry().repo("app");
        Image image = pushImage(repo, "1", List.of(random(1_000, 14)));
        asUser().head(repo + "/blobs/" + image.blobs().get(1)).then().statusCode(200).header("Content-Length", "1000")
                .header("Docker-Content-Digest", image.blobs().get(1));
        asUser().head(repo + "/manifests/1").then().statusCode(200)
                .header("Docker-Content-Digest", image.digest()).header("Content-Type", OCI_MANIFEST)
                .header("Content-Length", String.valueOf(image.manifest().length));
        asUser().head(repo + "/manifests/2").then().statusCode(404);
    }

    @Test
    void aRangeBeyondTheBlobIs416() {
        String repo = registry().repo("app");
        String digest = pushBlob(repo, random(100, 15));
        asUser().header("Range", "bytes=200-300").get(repo + "/blobs/" + digest).then().statusCode(416)
                .header("Content-Range", "bytes */100").body("errors[0].code", equalTo("SIZE_INVALID"));
    }

    @Test
    void aRangeIsForTheBytesIfRangeNamesAndIgnoredForOthers() {
        String repo = registry().repo("app");
        String digest = pushBlob(repo, random(100, 17));
        String etag = asUser().head(repo + "/blobs/" + digest).then().statusCode(200)
                .header("ETag", "\"" + digest + "\"").extract().header("ETag");
        asUser().header("Range", "bytes=0-9").header("If-Range", etag).get(repo + "/blobs/" + digest).then()
                .statusCode(206).header("Content-Length", "10");
        asUser().header("Range", "bytes=0-9").header("If-Range", "\"sha256:other\"").get(repo + "/blobs/" + digest)
                .then().statusCode(200).header("Content-Length", "100");
        asUser().header("Range", "bytes=0-9").header("If-Range", "Wed, 21 Oct 2015 07:28:00 GMT")
                .get(repo + "/blobs/" + digest).then().statusCode(200).header("Content-Length", "100")
                .header("Content-Security-Policy", containsString("sandbox"));
        // a client that has the bytes is told so, without them
        asUser().header("If-None-Match", "\"other\", " + etag).get(repo + "/blobs/" + digest).then().statusCode(304)
                .header("ETag", etag);
        asUser().header("If-None-Match", "\"other\"").get(repo + "/blobs/" + digest).then().statusCode(200);
    }

    @Test
    void aManifestIsFoundByDigestAndDeletedByTagThenByDigest() {
        String repo = registry().repo("app");
        Image image = pushImage(repo, "v1", List.of(random(800, 16)));
        assertArrayEquals(image.manifest(), asUser().get(repo + "/manifests/" + image.digest()).then().statusCode(200)
                .extract().asByteArray());
        asUser().delete(repo + "/manifests/v1").then().statusCode(202);
        asUser().get(repo + "/manifests/v1").then().statusCode(404).body("errors[0].code", equalTo("MANIFEST_UNKNOWN"));
        asUser().get(repo + "/manifests/" + image.digest()).then().statusCode(200);
        asUser().delete(repo + "/manifests/" + image.digest()).then().statusCode(202);
        asUser().get(repo + "/manifests/" + image.digest()).then().statusCode(404);
        asUser().delete(repo + "/manifests/" + image.digest()).then().statusCode(404)
                .body("errors[0].code", equalTo("MANIFEST_UNKNOWN"));
    }

    @Test
    void aBlobAManifestUsesCannotBeDeleted() {
        String repo = registry().repo("app");
        Image image = pushImage(repo, "1", List.of(random(600, 17)));
        asUser().delete(repo + "/blobs/" + image.blobs().get(1)).then().statusCode(405).header("Allow", "GET, HEAD")
                .body("errors[0].code", equalTo("UNSUPPORTED"));
        asUser().delete(repo + "/blobs/" + sha256(utf8("never"))).then().statusCode(404)
                .body("errors[0].code", equalTo("BLOB_UNKNOWN"));
    }

    @Test
    void anIndexIsKeptWithItsManifestsWhichCannotBeDeletedFirst() {
        String repo = registry().repo("multi");
        Image amd64 = pushImage(repo, "amd64", List.of(random(500, 18)));
        Image arm64 = pushImage(repo, "arm64", List.of(random(500, 19)));
        byte[] index = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"manifests\":["
                + descriptor(OCI_MANIFEST, amd64) + "," + descriptor(OCI_MANIFEST, arm64) + "]}");
        asUser().contentType(OCI_INDEX).body(index).put(repo + "/manifests/latest").then().statusCode(201)
                .header("Docker-Content-Digest", sha256(index));
        asUser().get(repo + "/manifests/latest").then().statusCode(200).header("Content-Type", OCI_INDEX);
        asUser().delete(repo + "/manifests/" + amd64.digest()).then().statusCode(405)
                .header("Allow", "GET, HEAD, PUT").body("errors[0].code", equalTo("UNSUPPORTED"));
        // an index listing a manifest the repository lacks
        byte[] dangling = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"manifests\":[{\"mediaType\":\""
                + OCI_MANIFEST + "\",\"digest\":\"" + sha256(utf8("x")) + "\",\"size\":1}]}");
        asUser().contentType(OCI_INDEX).body(dangling).put(repo + "/manifests/broken").then().statusCode(400)
                .body("errors[0].code", equalTo("MANIFEST_BLOB_UNKNOWN"));
    }

    @Test
    void dockerSchema2ManifestsAndListsArePushedAndPulledWithTheirMediaTypes() {
        String repo = registry().repo("docker");
        String layer = pushBlob(repo, random(700, 20));
        byte[] config = utf8("{\"os\":\"linux\"}");
        String configDigest = pushBlob(repo, config);
        String type = "application/vnd.docker.distribution.manifest.v2+json";
        byte[] manifest = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + type + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.docker.container.image.v1+json\",\"digest\":\"" + configDigest + "\",\"size\":"
                + config.length + "},\"layers\":[{\"mediaType\":\"application/vnd.docker.image.rootfs.diff.tar.gzip\","
                + "\"digest\":\"" + layer + "\",\"size\":700}]}");
        asUser().contentType(type).body(manifest).put(repo + "/manifests/1").then().statusCode(201);
        asUser().get(repo + "/manifests/1").then().statusCode(200).header("Content-Type", type);
        String listType = "application/vnd.docker.distribution.manifest.list.v2+json";
        byte[] list = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + listType + "\",\"manifests\":[{\"mediaType\":\""
                + type + "\",\"digest\":\"" + sha256(manifest) + "\",\"size\":" + manifest.length
                + ",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}}]}");
        asUser().contentType(listType).body(list).put(repo + "/manifests/multi").then().statusCode(201);
        asUser().get(repo + "/manifests/multi").then().statusCode(200).header("Content-Type", listType);
    }

    @Test
    void schema1AndInvalidManifestsAreRefusedNamingWhy() {
        String repo = registry().repo("app");
        asUser().contentType(OCI_MANIFEST).body("{not json").put(repo + "/manifests/1").then().statusCode(400)
                .body("errors[0].code", equalTo("MANIFEST_INVALID"));
        asUser().contentType("application/vnd.docker.distribution.manifest.v1+prettyjws")
                .body(utf8("{\"schemaVersion\":1,\"name\":\"app\",\"tag\":\"1\",\"fsLayers\":[]}")).put(repo + "/manifests/1")
                .then().statusCode(400).body("errors[0].code", equalTo("MANIFEST_INVALID"));
        asUser().contentType(OCI_MANIFEST).body("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST
                + "\",\"config\":{\"size\":1},\"layers\":[]}").put(repo + "/manifests/1").then().statusCode(400)
                .body("errors[0].code", equalTo("MANIFEST_INVALID"));
        asUser().contentType(OCI_MANIFEST).body("{}").put(repo + "/manifests/-bad-tag").then().statusCode(400)
                .body("errors[0].code", equalTo("MANIFEST_INVALID"));
        byte[] body = utf8("{\"schemaVersion\":2}");
        asUser().contentType(OCI_MANIFEST).body(body).put(repo + "/manifests/" + sha256(utf8("other"))).then()
                .statusCode(400).body("errors[0].code", equalTo("DIGEST_INVALID"));
        // no mediaType in the manifest: its type is the request's Content-Type (curl -d sends a form's), named as such
        asUser().contentType("application/x-www-form-urlencoded").body("{\"schemaVersion\":2,\"layers\":[]}")
                .put(repo + "/manifests/1").then().statusCode(400).body("errors[0].code", equalTo("MANIFEST_INVALID"))
                .body("errors[0].message", org.hamcrest.Matchers.startsWith("Content-Type (the manifest names no"
                        + " mediaType): 'application/x-www-form-urlencoded' is not a manifest type"));
    }

    @Test
    void manifestsThatBreakTheImageSpecAreRefusedNamingTheField() {
        String repo = registry().repo("app");
        byte[] config = utf8("{}");
        pushBlob(repo, config);
        String good = "{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + sha256(config)
                + "\",\"size\":2}";
        String[][] cases = {
                { "\"schemaVersion\":2,\"mediaType\":\"text/html\\r\\nSet-Cookie: a=1\",\"config\":" + good
                        + ",\"layers\":[]", "mediaType" },
                { "\"schemaVersion\":2,\"mediaType\":\"x\\u007f/y\",\"config\":" + good + ",\"layers\":[]", "mediaType" },
                { "\"schemaVersion\":1,\"config\":" + good + ",\"layers\":[]", "schemaVersion" },
                { "\"schemaVersion\":3,\"config\":" + good + ",\"layers\":[]", "schemaVersion" },
                { "\"schemaVersion\":\"2\",\"config\":" + good + ",\"layers\":[]", "schemaVersion" },
                { "\"schemaVersion\":2,\"layers\":[]", "config" },
                { "\"schemaVersion\":2,\"config\":" + good, "layers" },
                { "\"schemaVersion\":2,\"config\":" + good.replace("\"size\":2", "\"size\":-1") + ",\"layers\":[]",
                        "config.size" },
                { "\"schemaVersion\":2,\"config\":" + good.replace("\"size\":2", "\"size\":1e400") + ",\"layers\":[]",
                        "config.size" },
                { "\"schemaVersion\":2,\"config\":" + good.replace("\"size\":2", "\"size\":\"2\"") + ",\"layers\":[]",
                        "config.size" },
                { "\"schemaVersion\":2,\"config\":" + good.replace("\"mediaType\":\"application/vnd.oci.image.config.v1+json\",",
                        "") + ",\"layers\":[]", "config.mediaType" },
                { "\"schemaVersion\":2,\"artifactType\":\"not a type\",\"config\":" + good + ",\"layers\":[]",
                        "artifactType" },
                { "\"schemaVersion\":2,\"config\":" + good + ",\"layers\":[],\"annotations\":{\"a\":1}", "annotations" },
                { "\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"manifests\":{}", "manifests" },
                // a media type that is no manifest's would be every pull's Content-Type: a page on the API's origin
                { "\"schemaVersion\":2,\"mediaType\":\"text/html\",\"config\":" + good + ",\"layers\":[],"
                        + "\"annotations\":{\"x\":\"<script>alert(1)</script>\"}", "mediaType" },
                { "\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.artifact.manifest.v1+json\",\"config\":"
                        + good + ",\"layers\":[]", "mediaType" },
                // the request's Content-Type names another manifest type than the manifest itself
                { "\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"manifests\":[]", "the request's" } };
        for (String[] c : cases) {
            asUser().contentType(OCI_MANIFEST).body(utf8("{" + c[0] + "}")).put(repo + "/manifests/bad").then()
                    .statusCode(400).body("errors[0].code", equalTo("MANIFEST_INVALID"))
                    .body("errors[0].message", org.hamcrest.Matchers.startsWith(c[1]));
        }
        asUser().get(repo + "/manifests/bad").then().statusCode(404);
        // the same manifest, well-formed, is taken; it is answered so that no browser sniffs it
        asUser().contentType(OCI_MANIFEST).body(utf8("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST
                + "\",\"config\":" + good + ",\"layers\":[]}")).put(repo + "/manifests/good").then().statusCode(201);
        asUser().get(repo + "/manifests/good").then().statusCode(200).header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", containsString("sandbox"));
        // without a mediaType of its own, the Content-Type names it, and must be a manifest type too
        String bare = "{\"schemaVersion\":2,\"config\":" + good + ",\"layers\":[]}";
        asUser().contentType("text/html").body(utf8(bare)).put(repo + "/manifests/bare").then().statusCode(400)
                .body("errors[0].code", equalTo("MANIFEST_INVALID"));
        asUser().contentType(OCI_MANIFEST).body(utf8(bare)).put(repo + "/manifests/bare").then().statusCode(201);
        // nulls where a Go client leaves a nil list or map: absent, as the spec's own Go types write them
        asUser().contentType(OCI_MANIFEST).body(utf8("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST
                + "\",\"config\":" + good + ",\"layers\":null,\"annotations\":null,\"subject\":null,"
                + "\"artifactType\":null}")).put(repo + "/manifests/nulls").then().statusCode(201);
        asUser().get(repo + "/blobs/" + sha256(config)).then().statusCode(200).header("X-Content-Type-Options", "nosniff");
    }

    @Test
    void aRefusalNeverOutgrowsABoundWhateverItQuotes() {
        String repo = registry().repo("app");
        String hugeDigest = "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"a/b\",\"digest\":\"sha256:"
                + "z".repeat(300_000) + "\",\"size\":1},\"layers\":[]}";
        int size = asUser().contentType(OCI_MANIFEST).body(utf8(hugeDigest)).put(repo + "/manifests/huge").then()
                .statusCode(400).body("errors[0].code", equalTo("MANIFEST_INVALID")).extract().asByteArray().length;
        org.junit.jupiter.api.Assertions.assertTrue(size < 4096, size + " bytes");
        byte[] config = utf8("{}");
        pushBlob(repo, config);
        StringBuilder layers = new StringBuilder();
        for (int i = 0; i < 3_000; i++) {
            layers.append(i == 0 ? "" : ",").append("{\"mediaType\":\"a/b\",\"digest\":\"")
                    .append(sha256(utf8("layer " + i))).append("\",\"size\":1}");
        }
        byte[] unknown = utf8("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"a/b\",\"digest\":\"" + sha256(config)
                + "\",\"size\":2},\"layers\":[" + layers + "]}");
        var answer = asUser().contentType(OCI_MANIFEST).body(unknown).put(repo + "/manifests/many").then().statusCode(400)
                .body("errors[0].code", equalTo("MANIFEST_BLOB_UNKNOWN")).body("errors[0].detail", hasSize(21))
                .body("errors[0].detail[20]", equalTo("… and 2980 more")).extract().asByteArray();
        org.junit.jupiter.api.Assertions.assertTrue(answer.length < 8192, answer.length + " bytes");
    }

    @Test
    void aManifestOver4MiBIsRefusedWith413() {
        String repo = registry().repo("app");
        byte[] big = new byte[4 * 1024 * 1024 + 1];
        java.util.Arrays.fill(big, (byte) ' ');
        big[0] = '{';
        big[big.length - 1] = '}';
        asUser().contentType(OCI_MANIFEST).body(big).put(repo + "/manifests/big").then().statusCode(413)
                .body("errors[0].code", equalTo("SIZE_INVALID"));
        // declared too large: refused before the body is asked for (no 100 Continue)
        var answer = com.registryservice.support.Raw.send("127.0.0.1", "PUT", repo + "/manifests/big", List.of(
                "Content-Type: " + OCI_MANIFEST, "Content-Length: 5000000", "Expect: 100-continue"));
        assertEquals(413, answer.status(), answer.body());
        assertEquals(true, answer.body().contains("SIZE_INVALID"), answer.body());
    }

    @Test
    void artifactsWithASubjectAreListedAsReferrersFilteredByArtifactType() {
        String repo = registry().repo("app");
        Image image = pushImage(repo, "1", List.of(random(400, 21)));
        byte[] empty = utf8("{}");
        String emptyDigest = pushBlob(repo, empty);
        String signature = referrer(repo, image, emptyDigest, "application/vnd.example.signature", "sig");
        String sbom = referrer(repo, image, emptyDigest, "application/vnd.example.sbom", "sbom");
        asUser().get(repo + "/referrers/" + image.digest()).then().statusCode(200).header("Content-Type", OCI_INDEX)
                .header("OCI-Filters-Applied", nullValue()).body("manifests", hasSize(2))
                .body("manifests.digest", contains(signature, sbom));
        asUser().get(repo + "/referrers/" + image.digest() + "?artifactType=application/vnd.example.sbom").then()
                .statusCode(200).header("OCI-Filters-Applied", "artifactType").body("manifests.digest", contains(sbom))
                .body("manifests[0].artifactType", equalTo("application/vnd.example.sbom"))
                .body("manifests[0].annotations.kind", equalTo("sbom"));
        // a subject that does not exist: an empty index, not an error
        asUser().get(repo + "/referrers/" + sha256(utf8("nothing"))).then().statusCode(200).body("manifests", hasSize(0));
    }

    /** Pushes an artifact manifest whose subject is {@code image}; checks OCI-Subject; answers its digest. */
    private static String referrer(String repo, Image image, String emptyDigest, String artifactType, String kind) {
        byte[] manifest = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"artifactType\":\""
                + artifactType + "\",\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":\""
                + emptyDigest + "\",\"size\":2},\"layers\":[{\"mediaType\":\"application/vnd.oci.empty.v1+json\","
                + "\"digest\":\"" + emptyDigest + "\",\"size\":2}],\"subject\":" + descriptor(OCI_MANIFEST, image)
                + ",\"annotations\":{\"kind\":\"" + kind + "\"}}");
        asUser().contentType(OCI_MANIFEST).body(manifest).put(repo + "/manifests/" + sha256(manifest)).then()
                .statusCode(201).header("OCI-Subject", image.digest());
        return sha256(manifest);
    }

    @Test
    void tagsArePagedWithNAndLastAndALinkToTheNextPage() {
        Registry registry = registry();
        String repo = registry.repo("app");
        Image image = pushImage(repo, "b", List.of(random(100, 22)));
        for (String tag : List.of("a", "C", "c", "d")) {
            asUser().contentType(OCI_MANIFEST).body(image.manifest()).put(repo + "/manifests/" + tag).then()
                    .statusCode(201);
        }
        String link = asUser().get(repo + "/tags/list?n=2").then().statusCode(200)
                // the name as the client wrote it in the path (path mode: the registry's name, then the repository)
                .body("name", equalTo(registry.name() + "/app"))
                .body("tags", contains("C", "a")).extract().header("Link");
        assertEquals("<" + repo + "/tags/list?n=2&last=a>; rel=\"next\"", link);
        asUser().get(repo + "/tags/list?n=2&last=a").then().statusCode(200).body("tags", contains("b", "c"));
        asUser().get(repo + "/tags/list?n=2&last=c").then().statusCode(200).body("tags", contains("d"))
                .header("Link", nullValue());
        asUser().get(repo + "/tags/list").then().statusCode(200).body("tags", contains("C", "a", "b", "c", "d"));
        asUser().get(registry().repo("none") + "/tags/list").then().statusCode(404)
                .body("errors[0].code", equalTo("NAME_UNKNOWN"));
    }

    @Test
    void aRegistryIsReachedAtItsHostnameToo() {
        Registry registry = registry();
        Image image = pushImage(registry.repo("team/app"), "1", List.of(random(300, 23)));
        assertArrayEquals(image.manifest(), asUser().header("Host", registry.name() + ".cr.test.example:8443")
                .get("/v2/team/app/manifests/1").then().statusCode(200).extract().asByteArray());
        String location = asUser().header("Host", registry.name() + ".cr.test.example")
                .post("/v2/team/app/blobs/uploads/").then().statusCode(202).extract().header("Location");
        assertEquals("/v2/team/app/blobs/uploads/", location.substring(0, location.lastIndexOf('/') + 1));
    }

    @Test
    void aMethodARouteDoesNotTakeIsUnsupported() {
        String repo = registry().repo("app");
        asUser().put(repo + "/tags/list").then().statusCode(405).header("Allow", "GET, HEAD")
                .body("errors[0].code", equalTo("UNSUPPORTED"), "errors[0].message", containsString("GET, HEAD"));
        // every route names what it takes (HTTP requires Allow on a 405)
        asUser().post(repo + "/manifests/latest").then().statusCode(405).header("Allow", "GET, HEAD, PUT, DELETE");
        asUser().put(repo + "/blobs/sha256:" + "0".repeat(64)).then().statusCode(405).header("Allow", "GET, HEAD, DELETE");
        asUser().get(repo + "/blobs/uploads/").then().statusCode(405).header("Allow", "POST");
        asUser().post(repo + "/referrers/sha256:" + "0".repeat(64)).then().statusCode(405).header("Allow", "GET");
    }

    @Test
    void pushesAndPullsAreCountedForTheRepositoriesApi() {
        Registry registry = registry();
        String repo = registry.repo("counted");
        Image image = pushImage(repo, "1", List.of(random(200, 24)));
        asUser().contentType(OCI_MANIFEST).body(image.manifest()).put(repo + "/manifests/2").then().statusCode(201);
        asUser().get(repo + "/manifests/1").then().statusCode(200);
        asUser().get(repo + "/manifests/" + image.digest()).then().statusCode(200);
        asUser().head(repo + "/manifests/1").then().statusCode(200);
        await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() -> asUser()
                .get("/registries/{id}/repositories/counted", registry.id()).then().statusCode(200)
                .body("metadata.pushCount", equalTo(2)).body("metadata.pullCount", equalTo(2))
                .body("metadata.artifactCount", equalTo(1))
                .body("metadata.lastPulledAt", not(emptyOrNullString()))
                .body("metadata.lastPushedAt", not(emptyOrNullString())));
    }

    @Test
    void hostileNumbersAndNulCharactersAreClientErrorsNot5xx() {
        Registry registry = registry();
        String repo = registry.repo("app");
        byte[] data = random(100, 41);
        String digest = pushBlob(repo, data);
        // a range end beyond any long is the blob's end
        assertArrayEquals(data, asUser().header("Range", "bytes=0-99999999999999999999").get(repo + "/blobs/" + digest)
                .then().statusCode(206).extract().asByteArray());
        String location = asUser().post(repo + "/blobs/uploads/").then().statusCode(202).extract().header("Location");
        asUser().contentType("application/octet-stream").header("Content-Range", "18446744073709551615-18446744073709551616")
                .body(data).patch(location).then().statusCode(416).body("errors[0].code", equalTo("BLOB_UPLOAD_INVALID"));
        asUser().contentType("application/octet-stream").header("Content-Range", "0-99999999999999999999")
                .body(data).patch(location).then().statusCode(416).body("errors[0].code", equalTo("BLOB_UPLOAD_INVALID"));
        asUser().contentType("application/octet-stream").header("Content-Range", "0-98")
                .body(data).patch(location).then().statusCode(416).body("errors[0].code", equalTo("BLOB_UPLOAD_INVALID"));
        // a Range that is not one range of bytes is ignored: the whole blob
        for (String range : new String[] { "bytes=abc", "items=0-1", "bytes=0-1,5-6" }) {
            assertArrayEquals(data, asUser().header("Range", range).get(repo + "/blobs/" + digest).then().statusCode(200)
                    .extract().asByteArray(), range);
        }
        asUser().urlEncodingEnabled(false).get(repo + "/tags/list?last=%00").then().statusCode(400)
                .body("errors[0].code", equalTo("UNSUPPORTED"));
        asUser().urlEncodingEnabled(false).get("/v2/%00/app/tags/list").then().statusCode(400);
        given().header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("a\0b:c".getBytes()))
                .get(repo + "/tags/list").then().statusCode(401).body("errors[0].code", equalTo("UNAUTHORIZED"));
        asUser().urlEncodingEnabled(false).get("/registries/" + registry.id() + "/repositories/app/artifacts/sha256%3A%00")
                .then().statusCode(400).body("httpStatus", equalTo(400));
        asUser().urlEncodingEnabled(false).get("/registries/%7B" + registry.id() + "%7D/tokens").then().statusCode(400)
                .body("messages[0].errorCode", equalTo("INVALID_PARAMETER"));
        asUser().urlEncodingEnabled(false).get("/registries/%7B" + registry.id() + "%7D/repositories").then()
                .statusCode(400).body("messages[0].errorCode", equalTo("INVALID_PARAMETER"));
    }

    @Test
    void anErrorWithNonAsciiTextDeclaresItsLengthInBytes() {
        var answer = asUser().get("/v2/_catalog").then().statusCode(404).extract();
        byte[] body = answer.asByteArray();
        assertEquals(body.length, Integer.parseInt(answer.header("Content-Length")));
        assertEquals("NAME_UNKNOWN", new io.vertx.core.json.JsonObject(new String(body, java.nio.charset.StandardCharsets.UTF_8))
                .getJsonArray("errors").getJsonObject(0).getString("code"));
    }
}
