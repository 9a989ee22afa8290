package com.registryservice.support;

import static com.registryservice.support.Api.asUser;
import static com.registryservice.support.Api.awaitProvisioned;
import static com.registryservice.support.Api.create;
import static com.registryservice.support.Api.uniqueName;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/** Shared fixtures of the data-plane tests: registries to push to, blobs and images pushed the way clients do. */
public final class Oci {

    private Oci() {
    }

    /** A provisioned registry of the test user's contract, with its id and the path prefix of its repositories. */
    public record Registry(String id, String name) {
        public String prefix() {
            return "/v2/" + name;
        }

        public String repo(String repository) {
            return prefix() + "/" + repository;
        }

        /** Whether the blob store holds the blob's bytes (looked at directly: a directory, or an S3 bucket). */
        public boolean holdsBlob(String digest) {
            String[] parts = digest.split(":", 2);
            return StoredBytes.holds("blobs/" + id + "/" + parts[0] + "/" + parts[1].substring(0, 2) + "/" + parts[1]);
        }

        /** Whether the blob store holds any byte of the upload. */
        public boolean holdsUpload(String upload) {
            return StoredBytes.holds("uploads/" + id + "/" + upload);
        }

        /** Whether the blob store holds any byte of this registry, blob or upload. */
        public boolean holdsAnything() {
            return StoredBytes.holds("blobs/" + id) || StoredBytes.holds("uploads/" + id);
        }
    }

    /** An image pushed: its manifest's bytes and digest, and its blobs (config first) with their bytes. */
    public record Image(byte[] manifest, String digest, List<String> blobs, List<byte[]> contents) {
    }

    public static Registry registry() {
        String name = uniqueName("oci");
        String id = create(name);
        awaitProvisioned(id);
        return new Registry(id, name);
    }

    public static String sha256(byte[] data) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Pushes a blob in one POST with its digest (a monolithic upload); answers the digest. */
    public static String pushBlob(String repo, byte[] data) {
        String digest = sha256(data);
        asUser().contentType("application/octet-stream").body(data).post(repo + "/blobs/uploads/?digest=" + digest)
                .then().statusCode(201).header("Docker-Content-Digest", digest)
                .header("Location", repo + "/blobs/" + digest);
        return digest;
    }

    /** Pushes a blob unless HEAD says the registry has it, as skopeo and docker do. */
    public static String ensureBlob(String repo, byte[] data) {
        String digest = sha256(data);
        int status = asUser().head(repo + "/blobs/" + digest).then().extract().statusCode();
        return status == 200 ? digest : pushBlob(repo, data);
    }

    /** An OCI image manifest over a config and layers given by digest and size. */
    public static String manifest(String config, long configSize, List<String> layers, List<Long> sizes) {
        StringBuilder json = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":"
                + "\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + config + "\",\"size\":" + configSize
                + "},\"layers\":[");
        for (int i = 0; i < layers.size(); i++) {
            json.append(i == 0 ? "" : ",").append("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\","
                    + "\"digest\":\"").append(layers.get(i)).append("\",\"size\":").append(sizes.get(i)).append('}');
        }
        return json.append("]}").toString();
    }

    /** Pushes an image the way a client does (blobs it lacks, then the manifest under {@code tag}). */
    public static Image pushImage(String repo, String tag, List<byte[]> layers) {
        byte[] config = utf8("{\"architecture\":\"amd64\",\"os\":\"linux\",\"tag\":\"" + tag + "\"}");
        List<String> blobs = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        blobs.add(ensureBlob(repo, config));
        contents.add(config);
        for (byte[] layer : layers) {
            blobs.add(ensureBlob(repo, layer));
            contents.add(layer);
        }
        byte[] manifest = utf8(manifest(blobs.get(0), config.length, blobs.subList(1, blobs.size()),
                layers.stream().map(l -> (long) l.length).toList()));
        asUser().contentType("application/vnd.oci.image.manifest.v1+json").body(manifest)
                .put(repo + "/manifests/" + tag).then().statusCode(201).header("Docker-Content-Digest", sha256(manifest));
        return new Image(manifest, sha256(manifest), blobs, contents);
    }

    /** Pulls the image by tag and checks that its manifest and every blob come back byte for byte. */
    public static void assertPullsWhole(String repo, String tag, Image image) {
        assertArrayEquals(image.manifest(), asUser().get(repo + "/manifests/" + tag).then().statusCode(200)
                .extract().asByteArray(), "the manifest of " + repo + ":" + tag);
        for (int i = 0; i < image.blobs().size(); i++) {
            assertArrayEquals(image.contents().get(i), asUser().get(repo + "/blobs/" + image.blobs().get(i)).then()
                    .statusCode(200).extract().asByteArray(), "blob " + image.blobs().get(i) + " of " + repo + ":" + tag);
        }
    }

}
