package com.registryservice.storage;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * A plain Vert.x HTTP server whose answers' bodies a blob store (or its sender) writes: {@code GET /?offset=&length=}
 * sends those bytes, as the blob route does. A failure before the body answers 503, one during it cuts the connection.
 */
final class BodyServer implements AutoCloseable {

    /** What writes the body: offset, length, and the request whose answer it is. */
    interface Body {
        Uni<Void> send(long offset, long length, HttpServerRequest request);
    }

    private final HttpServer server;

    BodyServer(Vertx vertx, Body body) {
        this.server = vertx.createHttpServer().requestHandler(request -> answer(request, body)).listen(0)
                .toCompletionStage().toCompletableFuture().join();
    }

    private static void answer(HttpServerRequest request, Body body) {
        long offset = Long.parseLong(request.getParam("offset"));
        long length = Long.parseLong(request.getParam("length"));
        HttpServerResponse response = request.response().putHeader("Content-Length", Long.toString(length));
        body.send(offset, length, request).subscribe().with(done -> { }, failure -> {
            if (response.headWritten()) {
                request.connection().close();
            } else {
                response.setStatusCode(503).putHeader("Content-Length", "0").end();
            }
        });
    }

    int port() {
        return server.actualPort();
    }

    /** The body of {@code GET /?offset=&length=}, whole, over HTTP/1.1 (the only version the service serves). */
    byte[] get(long offset, long length) throws IOException, InterruptedException {
        return get(offset, length, HttpClient.Version.HTTP_1_1);
    }

    /** The body of {@code GET /?offset=&length=}, whole, over that HTTP version (HTTP/2: by h2c upgrade). */
    byte[] get(long offset, long length, HttpClient.Version version) throws IOException, InterruptedException {
        HttpResponse<byte[]> answer = HttpClient.newBuilder().version(version).build().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port() + "/?offset=" + offset + "&length=" + length))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (answer.statusCode() != 200) {
            throw new IOException("answered " + answer.statusCode());
        }
        return answer.body();
    }

    @Override
    public void close() {
        server.close().toCompletionStage().toCompletableFuture().join();
    }
}
