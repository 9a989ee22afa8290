package com.registryservice.oci;

import static com.registryservice.support.Api.asUser;
import static com.registryservice.support.Oci.pushBlob;
import static com.registryservice.support.Oci.random;
import static com.registryservice.support.Oci.registry;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import com.registryservice.support.S3Storage;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** With registry.storage.s3.redirect, a blob GET sends the client to S3 with a pre-signed URL; HEAD stays here. */
@QuarkusTest
@TestProfile(S3RedirectTest.Redirecting.class)
class S3RedirectTest {

    public static class Redirecting extends S3Storage {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.put("registry.storage.s3.redirect", "true");
            return config;
        }
    }

    @Test
    void aBlobGetAnswers307ToAUrlThatServesTheBytes() throws Exception {
        String repo = registry().repo("app");
        byte[] data = random(50_000, 31);
        String digest = pushBlob(repo, data);
        String endpoint = ConfigProvider.getConfig().getValue("registry.storage.s3.endpoint", String.class);
        String url = asUser().redirects().follow(false).get(repo + "/blobs/" + digest).then().statusCode(307)
                .header("Docker-Content-Digest", digest).header("Location", startsWith(endpoint)).extract()
                .header("Location");
        HttpResponse<byte[]> fetched = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, fetched.statusCode());
        assertArrayEquals(data, fetched.body());
        asUser().head(repo + "/blobs/" + digest).then().statusCode(200)
                .header("Content-Length", equalTo(Integer.toString(data.length)));
    }
}
