package com.registryservice.api;

import static com.registryservice.support.Api.asUser;
import static com.registryservice.support.Api.awaitProvisioned;
import static com.registryservice.support.Api.create;
import static com.registryservice.support.Api.uniqueName;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** What operators rely on: probes, metrics, and CORS off unless configured. */
@QuarkusTest
class OperationsTest {

    @Test
    void readinessIncludesTheDatabase() {
        management().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("PostgreSQL")));
        management().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    /** Requests to the management interface, the port of probes and scrapers (9001 in tests). */
    private static io.restassured.specification.RequestSpecification management() {
        return given().port(9001);
    }

    @Test
    void aMalformedTargetOnTheManagementPortIsA400WithNoErrorLogged() {
        try (var log = com.registryservice.support.LogCapture.of("")) {
            for (String target : new String[] { "/q/health/%zz", "/q/%", "/q/health/a|b", "/q/metrics?%zz" }) {
                var answer = com.registryservice.support.Raw.send(9001, "127.0.0.1", "GET", target, java.util.List.of());
                org.junit.jupiter.api.Assertions.assertEquals(400, answer.status(), target);
                org.junit.jupiter.api.Assertions.assertTrue(answer.body().contains("request target"), answer.body());
            }
            // a path the port does not serve: a 404 in the shape, not an HTML page
            var unknown = com.registryservice.support.Raw.send(9001, "127.0.0.1", "GET", "/nope", java.util.List.of());
            org.junit.jupiter.api.Assertions.assertEquals(404, unknown.status());
            org.junit.jupiter.api.Assertions.assertEquals("NOT_FOUND", new io.vertx.core.json.JsonObject(unknown.body())
                    .getJsonArray("messages").getJsonObject(0).getString("errorCode"));
            // health and metrics are read only
            var post = com.registryservice.support.Raw.send(9001, "127.0.0.1", "POST", "/q/health", java.util.List.of());
            org.junit.jupiter.api.Assertions.assertEquals(405, post.status());
            org.junit.jupiter.api.Assertions.assertTrue(post.headers().contains("allow: get, head"), post.headers());
            // a target that is not a path
            var star = com.registryservice.support.Raw.send(9001, "127.0.0.1", "OPTIONS", "*", java.util.List.of());
            org.junit.jupiter.api.Assertions.assertEquals(400, star.status());
            org.junit.jupiter.api.Assertions.assertTrue(star.body().contains("not a path"), star.body());
            // what the HTTP decoder refuses there too
            var tooLong = com.registryservice.support.Raw.send(9001, "127.0.0.1", "GET", "/q/health?x="
                    + "x".repeat(20_000), java.util.List.of());
            org.junit.jupiter.api.Assertions.assertEquals(414, tooLong.status());
            org.junit.jupiter.api.Assertions.assertTrue(tooLong.body().contains("URI_TOO_LONG"), tooLong.body());
            org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of(),
                    log.messages(java.util.logging.Level.SEVERE), "nothing a client sends is an ERROR");
        }
    }

    @Test
    void healthAndMetricsAreNotOnThePublicApiPort() {
        given().get("/q/metrics").then().statusCode(404);
        given().get("/q/health/ready").then().statusCode(404);
    }

    @Test
    void dataPlanePathsAreOneMetricsLabelWhateverClientsSend() {
        for (int i = 0; i < 5; i++) {
            given().get("/v2/zzclientpath" + i + "/app/tags/list").then().statusCode(401);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String metrics = management().get("/q/metrics").then().statusCode(200).extract().asString();
            org.junit.jupiter.api.Assertions.assertFalse(metrics.contains("zzclientpath"), "a client's path is no label");
        });
    }

    @Test
    void metricsShowHttpRequestsRegistriesByStateAndGcRuns() {
        String id = create(uniqueName("metrics"));
        awaitProvisioned(id);
        String run = asUser().post("/registries/{id}/garbage-collections", id).then().statusCode(202).extract()
                .header("Location");
        await().atMost(Duration.ofSeconds(30)).until(() -> "SUCCEEDED".equals(asUser().get(run).then().extract()
                .path("properties.status")));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            String metrics = management().get("/q/metrics").then().statusCode(200).extract().asString();
            for (String expected : List.of("http_server_requests_seconds_count", "registry_registries{state=\"RUNNING\"}",
                    "registry_gc_runs_total{outcome=\"SUCCEEDED\"}", "registry_gc_run_duration_seconds_count",
                    "registry_gc_freed_bytes")) {
                org.junit.jupiter.api.Assertions.assertTrue(metrics.contains(expected), "metrics lack " + expected);
            }
            org.junit.jupiter.api.Assertions.assertFalse(metrics.contains("registry_registries{state=\"RUNNING\"} 0.0"),
                    "RUNNING registries are counted");
        });
    }

    @Test
    void corsIsOffUnlessConfigured() {
        given().header("Origin", "https://portal.example").header("Access-Control-Request-Method", "GET")
                .options("/registries").then()
                .header("Access-Control-Allow-Origin", nullValue());
    }
}
