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

import com.registryservice.support.Gen;
import com.registryservice.support.Raw;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Property-based fuzzing of every operation with seeded generators ({@link Gen}): arbitrary bodies, path segments,
 * headers and query parameters never cause a 5xx, and every error is the JSON error shape. A fixed seed keeps the
 * test deterministic; GEN_SEED and GEN_TRIES vary it, and a failure names the seed that replays it.
 */
@QuarkusTest
class FuzzTest {

    private static final int TRIES = 120;
    private static final ObjectMapper JSON = new ObjectMapper();


    /** Text with the characters that break parsers: quotes, slashes, percent signs, unicode, control characters. */
    private static String nastyText(Gen gen) {
        return gen.anyOf(
                () -> gen.anyString(80),
                () -> gen.string("abc-_./%?#&=+ \\\"'{}[]:,\u00e9\u0000\u202e\u0007\ud800\udfff", 40),
                () -> gen.oneOf("", " ", "null", "de/fra", "my-registry", "01:23:00+00:00", "Monday", "0.0.0.0/0",
                        "../../etc/passwd", "%00", "%", "_", "a".repeat(300), "9999999999999999999999"));
    }

    /** Header values: anything a client can put on the wire (visible ASCII and spaces), and near-misses of tags. */
    private static String headerText(Gen gen) {
        return gen.anyOf(() -> gen.string(' ', '~', 300),
                () -> gen.oneOf("", "*", "\"x\"", "W/\"x\"", "\"a\", \"b\"", "\"a\" \"b\"", "W/", "\"", ",", "*, \"a\""));
    }

    private static final List<String> KEYS = List.of("name", "location", "properties", "days", "time",
            "garbageCollectionSchedule", "features", "vulnerabilityScanning", "enabled", "apiSubnetAllowList",
            "dryRun", "x");

    /** Any JSON value, nested a little: leaves three times as often as lists, objects twice as often. */
    private static Object anyJson(Gen gen, int depth) {
        int pick = depth == 0 ? 0 : gen.between(0, 5);
        if (pick < 3) {
            return gen.anyOf(() -> nastyText(gen), gen::anyInt, gen::anyLong, gen::anyDouble,
                    () -> gen.chance(0.5), () -> null);
        }
        if (pick == 3) {
            return gen.listOf(4, () -> anyJson(gen, depth - 1));
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = gen.between(0, 5); i > 0; i--) {
            map.put(gen.oneOf(KEYS), anyJson(gen, depth - 1));
        }
        return map;
    }

    /** A body: any JSON, any text, or a body that is mostly right with one part replaced by anything. */
    private static String registryBody(Gen gen) {
        return gen.anyOf(() -> write(anyJson(gen, 3)), () -> nastyText(gen), () -> {
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put("name", uniqueName("fz"));
            properties.put("location", "de/fra");
            properties.put("garbageCollectionSchedule", Map.of("days", List.of("Monday"), "time", "01:00:00Z"));
            properties.put("features", Map.of("vulnerabilityScanning", Map.of("enabled", true)));
            properties.put("apiSubnetAllowList", List.of("10.0.0.0/8"));
            properties.put(gen.oneOf(new ArrayList<>(properties.keySet())), anyJson(gen, 2));
            if (gen.chance(0.2)) {
                // nulls inside the lists the rules walk
                List<Object> withNull = new ArrayList<>(List.of("Monday"));
                withNull.add(gen.between(0, 1), null);
                properties.put(gen.oneOf("garbageCollectionSchedule", "apiSubnetAllowList"),
                        gen.chance(0.5) ? Map.of("days", withNull, "time", "01:00:00Z") : withNull);
            }
            return write(Map.of("properties", properties));
        });
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
        String id = create(uniqueName("fuzzed"));
        awaitProvisioned(id);
        int[] round = { 0 };
        Gen.check("every operation", TRIES, gen -> {
            int i = round[0]++;
            String body = registryBody(gen);
            String segment = gen.anyOf(() -> nastyText(gen), () -> id, () -> "3f2504e0-4f89-41d3-9a0c-0305e82c3301");
            String text = nastyText(gen);
            String patch = write(anyJson(gen, 3));
            String seg = encode(segment);
            String txt = encode(text);
            String limit = encode(gen.anyOf(() -> nastyText(gen), () -> String.valueOf(gen.anyInt())));
            assertWellFormed("POST /registries " + body, raw().body(body).post("/registries"), true);
            String header = headerText(gen);
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
            assertWellFormed("GET repositories filtered " + text, raw().get("/registries/" + id
                    + "/repositories?filter.name=" + txt + "&orderBy=" + txt), true);
            assertWellFormed("GET artifacts " + text, raw().get("/registries/" + id + "/artifacts?orderBy=" + txt
                    + "&offset=" + limit), true);
            assertWellFormed("GET repository artifacts " + text, raw().get("/registries/" + id + "/repositories/"
                    + txt + "/artifacts"), true);
            assertWellFormed("POST tokens " + patch, raw().body(gen.chance(0.5) ? patch : body)
                    .post("/registries/" + seg + "/tokens"), true);
            assertWellFormed("PATCH token " + patch, raw().body(patch).patch("/registries/" + id + "/tokens/" + seg),
                    true);
            assertWellFormed("GET tokens " + text, raw().get("/registries/" + id + "/tokens?limit=" + limit), true);
            if (i % 10 == 0) {
                assertWellFormed("DELETE /registries/" + segment,
                        raw().delete("/registries/" + (segment.equals(id) ? "not-" + id : seg)), true);
            }
        });
    }

    /**
     * Request targets and headers as written on the wire, unencoded: malformed escapes, characters a URI may not
     * hold, odd hosts, repeated credentials. Each answer is below 500 and, when an error, in the shape of the API the
     * path belongs to.
     */
    @Test
    void unencodedTargetsAndOddHeadersAreAnsweredInTheShapeOfTheirApi() {
        String id = create(uniqueName("rawfz"));
        Gen.check("raw targets", TRIES, gen -> {
            String piece = gen.anyOf(() -> gen.string("ab%zZ09|{}^\"`<>\\[]!$&'()*+,;=:@~-._?#", 24),
                    () -> gen.string('!', '~', 40), () -> gen.oneOf("%", "%2", "%zz", "%FF", "%C0%AF", "%00", "%2e%2e"));
            String target = gen.oneOf("/registries/", "/registries/" + id + "/tokens/", "/registries?filter.name=",
                    "/v2/", "/v2/x/", "/v2/x/app/tags/list?last=", "/names/") + piece;
            List<String> headers = new ArrayList<>();
            if (gen.chance(0.3)) {
                headers.add("Host: " + gen.anyOf(() -> gen.string('!', '~', 30), () -> gen.oneOf("", "..", "%00",
                        "a..b", "1.2.3.4.5", "[::1", "x".repeat(300), "localhost:99999")));
            }
            if (gen.chance(0.2)) {
                String auth = "Authorization: " + com.registryservice.support.Api.basicAuth(
                        com.registryservice.support.Api.USER);
                headers.add(auth);
                headers.add(auth);
            }
            String method = gen.oneOf("GET", "DELETE", "HEAD", "PATCH");
            Raw.Response answer = Raw.send("127.0.0.1", method, target, headers);
            String what = method + " " + target + " " + headers;
            assertTrue(answer.status() < 500, what + " answered " + answer.status() + ": " + answer.body());
            if (answer.status() >= 400 && !method.equals("HEAD")) {
                io.vertx.core.json.JsonObject body = new io.vertx.core.json.JsonObject(answer.body());
                boolean dataPlane = target.startsWith("/v2/");
                assertTrue(dataPlane ? body.containsKey("errors") : body.getInteger("httpStatus") == answer.status(),
                        what + ": " + answer.body());
            }
        });
    }
}
