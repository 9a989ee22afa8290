package com.registryservice.fuzz;

import static com.registryservice.support.Api.asUser;
import static com.registryservice.support.Api.awaitProvisioned;
import static com.registryservice.support.Api.create;
import static com.registryservice.support.Api.uniqueName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * Property-based fuzzing of every operation with jqwik's generators (sampled here, because the properties need
 * the running service): arbitrary bodies, path segments and query parameters never cause a 5xx, and every error
 * is the JSON error shape. A fixed seed keeps the test deterministic; FUZZ_SEED and FUZZ_TRIES vary it.
 */
@QuarkusTest
class FuzzTest {

    private static final long SEED = Long.parseLong(System.getenv().getOrDefault("FUZZ_SEED", "20261126"));
    private static final int TRIES = Integer.parseInt(System.getenv().getOrDefault("FUZZ_TRIES", "120"));
    private static final ObjectMapper JSON = new ObjectMapper();


    /** Text with the characters that break parsers: quotes, slashes, percent signs, unicode, control characters. */
    private static Arbitrary<String> nastyText() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(80),
                Arbitraries.strings().withChars("abc-_./%?#&=+ \\\"'{}[]:,é\u0000\u202e").ofMaxLength(40),
                Arbitraries.of("", " ", "null", "de/fra", "my-registry", "01:23:00+00:00", "Monday", "0.0.0.0/0",
                        "../../etc/passwd", "%00", "%", "_", "a".repeat(300), "9999999999999999999999"));
    }

    /** Any JSON value, nested a little. */
    /** Header values: anything a client can put on the wire (visible ASCII and spaces), and near-misses of tags. */
    private static Arbitrary<String> headerText() {
        return Arbitraries.oneOf(Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(300),
                Arbitraries.of("", "*", "\"x\"", "W/\"x\"", "\"a\", \"b\"", "\"a\" \"b\"", "W/", "\"", ",", "*, \"a\""));
    }

    private Arbitrary<Object> anyJson(int depth) {
        List<Arbitrary<?>> leaves = List.of(nastyText(), Arbitraries.integers(), Arbitraries.longs(),
                Arbitraries.doubles(), Arbitraries.of(true, false), Arbitraries.just(null));
        Arbitrary<Object> leaf = Arbitraries.oneOf(leaves.stream().map(a -> a.map(v -> (Object) v)).toList());
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<Object> list = anyJson(depth - 1).list().ofMaxSize(4).map(l -> (Object) l);
        Arbitrary<Object> map = Arbitraries.maps(Arbitraries.of("name", "location", "properties", "days", "time",
                "garbageCollectionSchedule", "features", "vulnerabilityScanning", "enabled", "apiSubnetAllowList",
                "dryRun", "x"), anyJson(depth - 1)).ofMaxSize(5).map(m -> (Object) m);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, leaf), net.jqwik.api.Tuple.of(1, list),
                net.jqwik.api.Tuple.of(2, map));
    }

    /** A body that is mostly right, with one part replaced by anything. */
    private Arbitrary<String> registryBodies() {
        Arbitrary<Map<String, Object>> plausible = Arbitraries.integers().between(0, 6).map(i -> {
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put("name", uniqueName("fz"));
            properties.put("location", "de/fra");
            properties.put("garbageCollectionSchedule", Map.of("days", List.of("Monday"), "time", "01:00:00Z"));
            properties.put("features", Map.of("vulnerabilityScanning", Map.of("enabled", true)));
            properties.put("apiSubnetAllowList", List.of("10.0.0.0/8"));
            return properties;
        });
        return Arbitraries.oneOf(
                anyJson(3).map(FuzzTest::write),
                nastyText(),
                plausible.flatMap(p -> Arbitraries.of(new ArrayList<>(p.keySet())).flatMap(key -> anyJson(2).map(v -> {
                    Map<String, Object> copy = new LinkedHashMap<>(p);
                    copy.put(key, v);
                    return write(Map.of("properties", copy));
                }))));
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A request whose path and query this test encodes itself (so that '{' in a value is not a template). */
    private static io.restassured.specification.RequestSpecification raw() {
        return asUser().urlEncodingEnabled(false);
    }

    private static String encode(String text) {
        return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static <T> T sample(Arbitrary<T> arbitrary) {
        return arbitrary.sample();
    }

    /** The property: no 5xx, and an error is the JSON error shape with the status it answers with. */
    private static void assertWellFormed(String what, Response response, boolean hasBody) {
        int status = response.statusCode();
        assertTrue(status < 500, what + " answered " + status + ": " + response.asString());
        if (status >= 400 && hasBody) {
            assertTrue(String.valueOf(response.contentType()).startsWith("application/json"),
                    what + ": " + response.contentType());
            assertEquals(status, response.jsonPath().getInt("httpStatus"), what + ": " + response.asString());
            List<Map<String, String>> messages = response.jsonPath().getList("messages");
            assertFalse(messages.isEmpty(), what);
            for (Map<String, String> message : messages) {
                assertNotNull(message.get("errorCode"), what);
                assertNotNull(message.get("message"), what);
                assertFalse(message.get("message").contains("java."), what + ": " + message);
                assertFalse(message.get("message").contains("Exception"), what + ": " + message);
            }
        }
    }

    @Test
    void arbitraryBodiesPathsAndParametersNeverCauseA5xxAndErrorsHaveTheShape() {
        // sample() outside a jqwik property draws from this thread's source of randomness: seed it
        net.jqwik.engine.SourceOfRandomness.current().setSeed(SEED);
        String id = create(uniqueName("fuzzed"));
        awaitProvisioned(id);
        Arbitrary<String> segments = Arbitraries.oneOf(nastyText(), Arbitraries.just(id),
                Arbitraries.just("3f2504e0-4f89-41d3-9a0c-0305e82c3301"));
        for (int i = 0; i < TRIES; i++) {
            String body = sample(registryBodies());
            String segment = sample(segments);
            String text = sample(nastyText());
            String patch = sample(anyJson(3).map(FuzzTest::write));
            String seg = encode(segment);
            String txt = encode(text);
            String limit = encode(sample(Arbitraries.oneOf(nastyText(), Arbitraries.integers().map(String::valueOf))));
            assertWellFormed("POST /registries " + body, raw().body(body).post("/registries"), true);
            String header = sample(headerText());
            assertWellFormed("POST /registries Idempotency-Key: " + header + " " + body,
                    raw().header("Idempotency-Key", header).body(body).post("/registries"), true);
            assertWellFormed("PATCH /registries/" + id + " If-Match: " + header,
                    raw().header("If-Match", header).body(patch).patch("/registries/" + id), true);
            assertWellFormed("GET /registries/" + id + " If-None-Match: " + header,
                    raw().header("If-None-Match", header).get("/registries/" + id), true);
            assertWellFormed("PUT /registries/" + segment + " " + body, raw().body(body).put("/registries/" + seg), true);
            assertWellFormed("PATCH /registries/" + id + " " + patch, raw().body(patch).patch("/registries/" + id), true);
            assertWellFormed("GET /registries/" + segment, raw().get("/registries/" + seg), true);
            assertWellFormed("GET /registries?" + text, raw().get("/registries?filter.name=" + txt + "&limit=" + limit
                    + "&pagination.token=" + txt), true);
            assertWellFormed("HEAD /names/" + text, raw().head("/names/" + txt), false);
            assertWellFormed("POST runs " + patch, raw().body(patch).post("/registries/" + seg + "/garbage-collections"),
                    true);
            assertWellFormed("GET runs", raw().get("/registries/" + seg + "/garbage-collections?limit=" + txt
                    + "&pagination.token=" + txt), true);
            assertWellFormed("GET run " + text, raw().get("/registries/" + id + "/garbage-collections/" + txt), true);
            assertWellFormed("GET repositories", raw().get("/registries/" + seg + "/repositories?offset=" + txt
                    + "&limit=" + limit), true);
            assertWellFormed("DELETE repository " + text, raw().delete("/registries/" + id + "/repositories/" + txt),
                    true);
            if (i % 10 == 0) {
                assertWellFormed("DELETE /registries/" + segment,
                        raw().delete("/registries/" + (segment.equals(id) ? "not-" + id : seg)), true);
            }
        }
    }
}
