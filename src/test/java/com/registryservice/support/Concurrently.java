package com.registryservice.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.restassured.RestAssured;

/** Sends requests at the same moment, on separate connections, to show what the service does under a race. */
public final class Concurrently {

    private Concurrently() {
    }

    /** POSTs each body at once and answers the statuses, in the order of the bodies. */
    public static List<Integer> post(String path, List<String> bodies) {
        return send("POST", path, bodies);
    }

    /** Sends {@code count} GETs of {@code path} at once and answers the statuses. */
    public static List<Integer> get(String path, int count) {
        return send("GET", path, java.util.Collections.nCopies(count, null));
    }

    public static List<Integer> send(String method, String path, List<String> bodies) {
        return send(method, path, bodies, Map.of());
    }

    /** Sends each body at once with the same extra headers, and answers the statuses in the order of the bodies. */
    public static List<Integer> send(String method, String path, List<String> bodies, Map<String, String> headers) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String auth = Api.basicAuth(Api.USER);
        URI uri = URI.create(RestAssured.baseURI + ":" + RestAssured.port + path);
        List<CompletableFuture<Integer>> responses = bodies.stream()
                .map(body -> withHeaders(HttpRequest.newBuilder(uri), headers).header("Authorization", auth)
                        .header("Content-Type", "application/json")
                        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body)).build())
                .map(request -> client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                        .thenApply(HttpResponse::statusCode))
                .toList();
        return responses.stream().map(CompletableFuture::join).toList();
    }

    private static HttpRequest.Builder withHeaders(HttpRequest.Builder request, Map<String, String> headers) {
        headers.forEach(request::header);
        return request;
    }
}
