package com.registryservice.storage;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import com.registryservice.support.S3ProxyServer;
import com.registryservice.support.S3Storage;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * An instance whose bucket does not exist (a wrong name, a bucket not made yet) starts, serves the management API and
 * is ready, but its startup probe stays down naming the bucket until S3 has answered for it once: a rollout with a
 * wrong setting stops at its first instance, and an S3 outage later takes no instance out of the load balancer.
 */
@QuarkusTest
@TestProfile(S3BucketMissingTest.Missing.class)
class S3BucketMissingTest {

    static final String LATER_BUCKET = "made-later";

    /** The S3 profile with a bucket its S3Proxy does not have. */
    public static class Missing extends S3Storage {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("registry.storage.s3.bucket", LATER_BUCKET);
            return overrides;
        }
    }

    @Test
    void theStartupProbeIsDownUntilTheBucketAnswersThenUpForGood() {
        given().port(9001).get("/q/health/started").then().statusCode(503).body("status", equalTo("DOWN"))
                .body("checks.find { it.name == 'Blob storage' }.data.bucket", equalTo(LATER_BUCKET))
                .body("checks.find { it.name == 'Blob storage' }.data.error", containsString("404"));
        given().port(9001).get("/q/health/ready").then().statusCode(200);

        URI endpoint = ConfigProvider.getConfig().getValue("registry.storage.s3.endpoint", URI.class);
        try (var s3 = S3ProxyServer.running(endpoint).client()) {
            s3.createBucket(r -> r.bucket(LATER_BUCKET)).join();
        }
        given().port(9001).get("/q/health/started").then().statusCode(200).body("status", equalTo("UP"));

        S3ProxyServer.running(endpoint).pause(); // an outage after the start: the probe has its answer
        try {
            given().port(9001).get("/q/health/started").then().statusCode(200).body("status", equalTo("UP"));
        } finally {
            S3ProxyServer.running(endpoint).resume();
        }
    }
}
