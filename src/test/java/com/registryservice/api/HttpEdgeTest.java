package com.registryservice.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.registryservice.support.Raw;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/** What the HTTP layer would refuse in a shape of its own is refused in the API's shape, before any body is read. */
@QuarkusTest
class HttpEdgeTest {

    @Test
    void aHostThatIsNotAHostIs400InTheErrorShapeOfEachApi() {
        for (String host : new String[] { "exa mple.com", "[::1", "example.com:port", "", "[zzz]", "[1:2:3]:80" }) {
            Raw.Response management = Raw.send("127.0.0.1", "GET", "/registries?limit=1", Map.of("Host", host));
            assertEquals(400, management.status(), host);
            JsonObject error = new JsonObject(management.body());
            assertEquals(400, error.getInteger("httpStatus"), management.body());
            assertTrue(error.getJsonArray("messages").getJsonObject(0).getString("message").contains("Host"));

            Raw.Response data = Raw.send("127.0.0.1", "GET", "/v2/", Map.of("Host", host));
            assertEquals(400, data.status(), host);
            assertTrue(new JsonObject(data.body()).getJsonArray("errors").getJsonObject(0).containsKey("code"),
                    data.body());
        }
    }

    @Test
    void anIpv6AddressIsAHost() {
        Raw.Response answer = Raw.send("127.0.0.1", "GET", "/registries?limit=1", Map.of("Host", "[::1]:8080"));
        assertEquals(200, answer.status(), answer.body());
        assertTrue(answer.body().contains("http://[::1]:8080/registries"), answer.body());
    }

    @Test
    void aBodyDeclaredLargerThanTheLimitIs413BeforeAByteOfItIsRead() {
        // no body follows the headers: had the service waited for it, the answer would never come
        Raw.Response refused = Raw.send("127.0.0.1", "POST", "/registries",
                Map.of("Content-Type", "application/json", "Content-Length", "10000000"));
        assertEquals(413, refused.status());
        JsonObject error = new JsonObject(refused.body());
        assertEquals("PAYLOAD_TOO_LARGE", error.getJsonArray("messages").getJsonObject(0).getString("errorCode"));
    }

    @Test
    void aBodyWithoutALengthIs411InTheShapeBeforeItIsRead() {
        // no chunk follows the headers: had the service waited for the body, the answer would never come
        Raw.Response refused = Raw.send("127.0.0.1", "POST", "/registries",
                Map.of("Content-Type", "application/json", "Transfer-Encoding", "chunked"));
        assertEquals(411, refused.status());
        assertEquals("LENGTH_REQUIRED", new JsonObject(refused.body()).getJsonArray("messages").getJsonObject(0)
                .getString("errorCode"));
    }

    @Test
    void aClientStillSendingATooLargeBodyReadsThe413() {
        byte[] big = new byte[5 * 1024 * 1024];
        java.util.Arrays.fill(big, (byte) ' ');
        com.registryservice.support.Api.asUser().body(big).post("/registries").then().statusCode(413)
                .body("messages[0].errorCode", org.hamcrest.Matchers.equalTo("PAYLOAD_TOO_LARGE"));
    }

    @Test
    void dotSegmentsArePathsOfTheirOwnNeverResolvedToAnotherResource() {
        String registry = com.registryservice.support.Api.create(com.registryservice.support.Api.uniqueName("dots"));
        for (String dots : new String[] { "..", "%2e%2e", ".%2E", "%2E%2E/", "." }) {
            Raw.Response refused = Raw.send("127.0.0.1", "DELETE", "/registries/" + registry + "/tokens/" + dots,
                    Map.of());
            assertEquals(400, refused.status(), dots);
            assertTrue(refused.body().contains("segment"), refused.body());
        }
        assertEquals(400, Raw.send("127.0.0.1", "GET", "/v2/x/%2e%2e/%2e%2e/registries", Map.of()).status());
        com.registryservice.support.Api.asUser().get("/registries/{id}", registry).then().statusCode(200);
    }

    @Test
    void theDataPlanesRefusalsAtTheEdgeCarryItsHeaders() {
        Raw.Response refused = Raw.send("127.0.0.1", "GET", "/v2/x/%2e%2e/tags/list", Map.of());
        assertEquals(400, refused.status());
        assertTrue(refused.headers().contains("content-security-policy: default-src 'none'; sandbox"),
                refused.headers());
        assertTrue(refused.headers().contains("docker-distribution-api-version: registry/2.0"), refused.headers());
    }

    @Test
    void aTooLongRequestTargetIs414InTheShapeOfEachApi() {
        String query = "x".repeat(HttpEdge.MAX_REQUEST_TARGET);
        Raw.Response management = Raw.send("127.0.0.1", "GET", "/registries?filter.name=" + query, Map.of());
        assertEquals(414, management.status());
        JsonObject error = new JsonObject(management.body());
        assertEquals("URI_TOO_LONG", error.getJsonArray("messages").getJsonObject(0).getString("errorCode"));
        assertTrue(error.getJsonArray("messages").getJsonObject(0).getString("message").contains("4096"));

        Raw.Response data = Raw.send("127.0.0.1", "GET", "/v2/x/tags/list?last=" + query, Map.of());
        assertEquals(414, data.status());
        assertEquals("UNSUPPORTED", new JsonObject(data.body()).getJsonArray("errors").getJsonObject(0).getString("code"));
        // just within the limit: the API's own answer
        String within = "/registries?filter.name=" + "x".repeat(HttpEdge.MAX_REQUEST_TARGET - 24);
        assertEquals(HttpEdge.MAX_REQUEST_TARGET, within.length());
        org.junit.jupiter.api.Assertions.assertNotEquals(414, Raw.send("127.0.0.1", "GET", within, Map.of()).status());
    }

    @Test
    void tooLargeHeadersAre431InTheShapeOfEachApi() {
        Map<String, String> big = Map.of("X-Padding", "p".repeat(HttpEdge.MAX_HEADER_BYTES));
        Raw.Response management = Raw.send("127.0.0.1", "GET", "/registries", big);
        assertEquals(431, management.status());
        assertEquals("HEADERS_TOO_LARGE", new JsonObject(management.body()).getJsonArray("messages").getJsonObject(0)
                .getString("errorCode"));
        Raw.Response data = Raw.send("127.0.0.1", "GET", "/v2/", big);
        assertEquals(431, data.status());
        assertTrue(new JsonObject(data.body()).getJsonArray("errors").getJsonObject(0).containsKey("code"));
    }

    @Test
    void whatTheHttpDecoderRefusesIsAnsweredInTheErrorShapeToo() {
        // beyond quarkus.http.limits.max-initial-line-length (8192): the decoder keeps no path, so both APIs' shapes
        Raw.Response line = Raw.send("127.0.0.1", "GET", "/v2/x/tags/list?last=" + "x".repeat(20_000), Map.of());
        assertEquals(414, line.status());
        JsonObject lineError = new JsonObject(line.body()).getJsonArray("messages").getJsonObject(0);
        assertEquals("URI_TOO_LONG", lineError.getString("errorCode"));
        assertTrue(lineError.getString("message").contains("8192"), line.body());
        assertEquals(lineError.getString("message"), new JsonObject(line.body()).getJsonArray("errors").getJsonObject(0)
                .getString("message"));

        // beyond max-header-size (40 KiB): the path was read, so each API's own shape
        Map<String, String> huge = Map.of("X-Padding", "p".repeat(60 * 1024));
        Raw.Response management = Raw.send("127.0.0.1", "GET", "/registries", huge);
        assertEquals(431, management.status());
        JsonObject headersError = new JsonObject(management.body()).getJsonArray("messages").getJsonObject(0);
        assertEquals("HEADERS_TOO_LARGE", headersError.getString("errorCode"));
        assertTrue(headersError.getString("message").contains("40 KiB"), management.body());
        Raw.Response data = Raw.send("127.0.0.1", "GET", "/v2/", huge);
        assertEquals(431, data.status());
        assertTrue(data.headers().contains("content-security-policy"), data.headers());
        assertEquals("UNSUPPORTED", new JsonObject(data.body()).getJsonArray("errors").getJsonObject(0)
                .getString("code"));

        // not HTTP: a request line of one word, a header without a colon, a name with a space, a control character
        // in a value (the decoder answered the first with an empty body, and closed the connection on the others)
        for (String garbage : new String[] { "GARBAGE\r\n\r\n",
                "GET /registries HTTP/1.1\r\nHost: a\r\nno colon\r\n\r\n",
                "GET /registries HTTP/1.1\r\nHost: a\r\nBad Name: x\r\n\r\n",
                "GET /registries HTTP/1.1\r\nHost: a\r\nX-Note: a\u0001b\r\n\r\n" }) {
            Raw.Response refused = Raw.exchange(io.restassured.RestAssured.port, "127.0.0.1", garbage);
            assertEquals(400, refused.status(), garbage);
            assertEquals("INVALID_PARAMETER", new JsonObject(refused.body()).getJsonArray("messages").getJsonObject(0)
                    .getString("errorCode"), garbage);
        }
        // a request line that is not HTTP leaves no path either: both shapes; a bad header on a data-plane path: OCI
        Raw.Response notHttp = Raw.exchange(io.restassured.RestAssured.port, "127.0.0.1",
                "GéT /v2/ HTTP/1.1\r\nHost: a\r\n\r\n");
        assertEquals(400, notHttp.status());
        assertEquals("UNSUPPORTED", new JsonObject(notHttp.body()).getJsonArray("errors").getJsonObject(0)
                .getString("code"));
        Raw.Response badHeader = Raw.exchange(io.restassured.RestAssured.port, "127.0.0.1",
                "GET /v2/ HTTP/1.1\r\nHost: a\r\nno colon\r\n\r\n");
        assertEquals(400, badHeader.status());
        assertEquals(java.util.Set.of("errors"), new JsonObject(badHeader.body()).fieldNames());
        // the connection the refusal closed is the only one affected
        com.registryservice.support.Api.asUser().get("/registries?limit=1").then().statusCode(200);
    }

    @Test
    void aTargetThatIsNotAPathIs400InTheShapeOfEachApi() {
        Raw.Response refused = Raw.send("127.0.0.1", "GET", "*", Map.of());
        assertEquals(400, refused.status());
        JsonObject error = new JsonObject(refused.body());
        assertEquals("INVALID_PARAMETER", error.getJsonArray("messages").getJsonObject(0).getString("errorCode"));
        assertTrue(error.getJsonArray("messages").getJsonObject(0).getString("message").contains("not a path"));
        // a well-formed escape is a path like any other
        assertEquals(400, Raw.send("127.0.0.1", "GET", "/registries/%41bc", Map.of()).status());
        assertTrue(Raw.send("127.0.0.1", "GET", "/registries/%41bc", Map.of()).body().contains("'Abc' is not a UUID"));
    }

    @Test
    void aMalformedPercentEncodingIs400InTheShapeOfEachApi() {
        for (String bad : new String[] { "/registries/%zz", "/registries/%", "/registries/a%2", "/registries?%zz=1" }) {
            Raw.Response management = Raw.send("127.0.0.1", "GET", bad, Map.of());
            assertEquals(400, management.status(), bad);
            JsonObject error = new JsonObject(management.body());
            assertEquals("INVALID_PARAMETER", error.getJsonArray("messages").getJsonObject(0).getString("errorCode"),
                    bad);
            assertTrue(error.getJsonArray("messages").getJsonObject(0).getString("message").contains("percent"), bad);
        }
        Raw.Response data = Raw.send("127.0.0.1", "GET", "/v2/x/%zz/tags/list", Map.of());
        assertEquals(400, data.status());
        assertTrue(new JsonObject(data.body()).getJsonArray("errors").getJsonObject(0).containsKey("code"), data.body());
        // a backslash for the slash: still the data plane's, whose shape the client reads
        Raw.Response backslash = Raw.send("127.0.0.1", "GET", "/v2\\x", Map.of());
        assertEquals(400, backslash.status());
        assertTrue(new JsonObject(backslash.body()).containsKey("errors"), backslash.body());
    }

    @Test
    void aTargetThatIsNotAUriIs400InTheShapeNamingWhere() {
        for (String bad : new String[] { "/registries?filter.name=a|b", "/registries/{id}", "/registries?x=\"y\"",
                "/registries/a^b", "/registries#frag#ment" }) {
            Raw.Response management = Raw.send("127.0.0.1", "GET", bad, Map.of());
            assertEquals(400, management.status(), bad);
            String message = new JsonObject(management.body()).getJsonArray("messages").getJsonObject(0)
                    .getString("message");
            assertTrue(message.contains("not a valid URI") && message.contains("at index"), message);
        }
        Raw.Response data = Raw.send("127.0.0.1", "GET", "/v2/x/a|b/tags/list", Map.of());
        assertEquals(400, data.status());
        assertTrue(new JsonObject(data.body()).getJsonArray("errors").getJsonObject(0).getString("message")
                .contains("not a valid URI"), data.body());
    }

    @Test
    void anEscapeThatIsNotUtf8IsAnAnswerInTheShape() {
        // well-formed escapes of bytes that are no UTF-8: the router decodes the path while it matches routes
        for (String odd : new String[] { "/registries/%FF", "/registries/%C0%AF", "/v2/x/%FF/tags/list" }) {
            Raw.Response answer = Raw.send("127.0.0.1", "GET", odd, Map.of());
            assertTrue(answer.status() >= 400 && answer.status() < 500, odd + " " + answer.status());
            JsonObject body = new JsonObject(answer.body());
            assertTrue(body.containsKey(odd.startsWith("/v2") ? "errors" : "messages"), odd + " " + answer.body());
        }
    }

    @Test
    void aHostThatNoNameOrAddressCouldBeIsRefusedNotEchoedIntoLinks() {
        for (String host : new String[] { "%00", "..", "a..b", "-a.example", "a b.example", "x".repeat(64) + ".example",
                ("a".repeat(60) + ".").repeat(5) + "example", "1.2.3.4.5", "user@host", "host/path" }) {
            Raw.Response answer = Raw.send("127.0.0.1", "GET", "/registries?limit=1", Map.of("Host", host));
            assertEquals(400, answer.status(), host);
            assertTrue(answer.body().contains("the Host header is not a host name"), host + ": " + answer.body());
        }
        for (String host : new String[] { "localhost", "registry.example.com.", "10.0.0.1:8080", "[::1]:8080", "xn--bcher-kva.example", "registry_service:8080" }) {
            assertEquals(200, Raw.send("127.0.0.1", "GET", "/registries?limit=1", Map.of("Host", host)).status(), host);
        }
    }

    @Test
    void twoAuthorizationOrHostHeadersAreAmbiguousAndRefused() {
        String registry = com.registryservice.support.Api.create(com.registryservice.support.Api.uniqueName("twice"));
        String user = "Authorization: " + com.registryservice.support.Api.basicAuth(com.registryservice.support.Api.USER);
        for (java.util.List<String> lines : java.util.List.of(java.util.List.of(user, user),
                java.util.List.of("Host: localhost", "Host: other.example"))) {
            Raw.Response answer = Raw.send("127.0.0.1", "GET", "/registries/" + registry, lines);
            assertEquals(400, answer.status(), lines.toString());
            assertTrue(answer.body().contains("more than one"), answer.body());
            Raw.Response data = Raw.send("127.0.0.1", "GET", "/v2/", lines);
            assertEquals(400, data.status(), lines.toString());
            assertTrue(data.body().contains("\"errors\""), data.body());
        }
    }

    @Test
    void aTransferEncodingOtherThanChunkedIsRefusedWhateverItsLength() {
        for (String coding : new String[] { "xchunked", "gzip", "identity" }) {
            Raw.Response answer = Raw.send("127.0.0.1", "POST", "/registries", java.util.List.of(
                    "Transfer-Encoding: " + coding, "Content-Length: 0", "Content-Type: application/json"));
            assertEquals(400, answer.status(), coding);
            assertTrue(answer.body().contains("Transfer-Encoding"), answer.body());
        }
    }

    @Test
    void nothingSentBehindARequestOfAmbiguousFramingIsRun() throws Exception {
        String auth = "Authorization: " + com.registryservice.support.Api.basicAuth(com.registryservice.support.Api.USER);
        // a second request the service would answer at once (its target is malformed): had it been read as a
        // request, its answer would follow the first on the connection
        String second = "GET /registries/%zz HTTP/1.1\r\nHost: localhost\r\n" + auth + "\r\n\r\n";
        for (String framing : new String[] { "Transfer-Encoding: gzip\r\nContent-Length: 5\r\n\r\nhello",
                "Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n0\r\n\r\n" }) {
            String answers;
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", io.restassured.RestAssured.port)) {
                socket.setSoTimeout(20_000);
                socket.getOutputStream().write(("POST /registries HTTP/1.1\r\nHost: localhost\r\n" + auth
                        + "\r\nContent-Type: application/json\r\n" + framing + second)
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                answers = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
            assertTrue(answers.startsWith("HTTP/1.1 400"), answers);
            assertTrue(answers.contains("Transfer-Encoding"), answers);
            assertEquals(1, answers.split("HTTP/1\\.1 ").length - 1, "one answer, then the connection closes: " + answers);
        }
    }

    @Test
    void http2IsNotSpokenSoNoConnectionCarriesUnboundedStreams() throws Exception {
        // HTTP/2 with prior knowledge: the preface and an empty SETTINGS frame; a server speaking HTTP/2 answers with
        // a SETTINGS frame (a binary frame header); an HTTP/1 server answers in text or closes the connection
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", io.restassured.RestAssured.port)) {
            socket.setSoTimeout(10_000);
            byte[] preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            socket.getOutputStream().write(preface);
            socket.getOutputStream().write(new byte[] { 0, 0, 0, 4, 0, 0, 0, 0, 0 });
            byte[] head = socket.getInputStream().readNBytes(9);
            String text = new String(head, java.nio.charset.StandardCharsets.US_ASCII);
            // (an HTTP/1 answer echoes the request line's version: "HTTP/2.0 404 …" is text, not a frame)
            assertTrue(head.length == 0 || text.startsWith("HTTP/"), "answered in HTTP/2: " + java.util.Arrays.toString(head));
        }
    }

    @Test
    void aBodyThatDoesNotArriveInTimeIs408InTheShapeOfEachApi() throws Exception {
        String registry = com.registryservice.support.Oci.registry().prefix();
        String[][] requests = {
            { "POST /registries", "application/json" },
            { "PUT " + registry + "/app/manifests/v1", "application/vnd.oci.image.manifest.v1+json" },
            // a repository may be named x/blobs/uploads: its manifests are still manifests, not blob uploads
            { "PUT " + registry + "/x/blobs/uploads/manifests/v1", "application/vnd.oci.image.manifest.v1+json" } };
        for (String[] request : requests) {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", io.restassured.RestAssured.port)) {
                socket.setSoTimeout(30_000);
                // 10 of the 100 bytes it declares, then nothing: a client trickling its body holds memory until then
                socket.getOutputStream().write((request[0] + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
                        + com.registryservice.support.Api.basicAuth(com.registryservice.support.Api.USER)
                        + "\r\nContent-Type: " + request[1] + "\r\nContent-Length: 100\r\n\r\n{\"a\": \"bc")
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                assertTrue(answer.startsWith("HTTP/1.1 408 "), answer);
                JsonObject error = new JsonObject(answer.substring(answer.indexOf("\r\n\r\n") + 4));
                String message = request[0].startsWith("POST")
                        ? error.getJsonArray("messages").getJsonObject(0).getString("message")
                        : error.getJsonArray("errors").getJsonObject(0).getString("message");
                assertTrue(message.contains("did not arrive within 8 s"), answer);
            }
        }
    }

    @Test
    void aQueryParameterGivenTwiceIsRefusedRatherThanOneOfThemGuessed() {
        Raw.Response management = Raw.get("127.0.0.1", "/registries?limit=1&limit=2");
        assertEquals(400, management.status(), management.body());
        assertTrue(management.body().contains("'limit' is given more than once"), management.body());
        Raw.Response data = Raw.get("127.0.0.1", "/v2/some-registry/app/tags/list?n=1&n=2");
        assertEquals(400, data.status(), data.body());
        assertTrue(new JsonObject(data.body()).getJsonArray("errors").getJsonObject(0).getString("message")
                .contains("'n'"), data.body());
        // the same value twice is one value (a client retrying after a challenge may append its parameters again)
        assertEquals(200, Raw.get("127.0.0.1", "/registries?limit=1&limit=1").status());
        // the token endpoint takes several scopes
        Raw.Response token = Raw.get("127.0.0.1", "/v2/_token?service=registry-service&scope=repository:a/b:pull"
                + "&scope=repository:a/c:pull");
        assertEquals(200, token.status(), token.body());
    }

    @Test
    void anHttp10RequestWithoutHostIsToldItHasNone() throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", io.restassured.RestAssured.port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /registries HTTP/1.0\r\nAuthorization: "
                    + com.registryservice.support.Api.basicAuth(com.registryservice.support.Api.USER) + "\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.0 400") || answer.startsWith("HTTP/1.1 400"), answer);
            assertTrue(answer.contains("no Host header"), answer);
        }
    }
}
