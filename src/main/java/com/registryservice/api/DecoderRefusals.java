package com.registryservice.api;

import java.util.Map;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.VertxOptionsCustomizer;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.impl.HttpServerConnection;
import io.vertx.core.http.impl.HttpServerRequestInternal;
import io.vertx.core.spi.tracing.SpanKind;
import io.vertx.core.spi.tracing.TagExtractor;
import io.vertx.core.spi.tracing.VertxTracer;
import io.vertx.core.tracing.TracingOptions;
import io.vertx.core.tracing.TracingPolicy;

/**
 * What the HTTP decoder refuses, before any route, answered in the API's error shape: a request line beyond
 * {@code quarkus.http.limits.max-initial-line-length} (414), headers beyond {@code max-header-size} (431), a request
 * line or header that is not HTTP at all (400). Vert.x hands such a request to its server's "invalid request
 * handler", which answers with an empty body (or closes the connection without a word); Quarkus sets no handler of
 * its own and gives an application no way to, but each connection's handler can be replaced while the request
 * begins, before Vert.x picks a handler for it. Vert.x tells a tracer of every request as it begins: this tracer
 * does nothing else (every other call is the SPI's no-op), and swaps the handler only for a request the decoder
 * failed. {@link HttpEdge}'s own limits sit below the decoder's, so what reaches this is hostile, not a client's
 * mistake. A refusal whose path was read (headers) is in the shape of the API the path belongs to; one whose request
 * line could not be read carries both shapes' members in one body.
 */
@Singleton
public class DecoderRefusals implements VertxOptionsCustomizer {

    private final int maxLine;
    private final long maxHeaders;

    public DecoderRefusals(@ConfigProperty(name = "quarkus.http.limits.max-initial-line-length") int maxLine,
            @ConfigProperty(name = "quarkus.http.limits.max-header-size") MemorySize maxHeaders) {
        this.maxLine = maxLine;
        this.maxHeaders = maxHeaders.asLongValue();
    }

    @Override
    public void accept(VertxOptions options) {
        if (options.getTracingOptions() != null && options.getTracingOptions().getFactory() != null) {
            throw new IllegalStateException("a Vert.x tracer is configured already: " + DecoderRefusals.class
                    .getSimpleName() + " would replace it");
        }
        VertxTracer<Void, Void> tracer = new VertxTracer<>() {
            @Override
            public <R> Void receiveRequest(Context context, SpanKind kind, TracingPolicy policy, R request,
                    String operation, Iterable<Map.Entry<String, String>> headers, TagExtractor<R> tags) {
                if (request instanceof HttpServerRequestInternal received && !received.decoderResult().isSuccess()
                        && received.connection() instanceof HttpServerConnection connection) {
                    connection.invalidRequestHandler(answer);
                }
                return null;
            }
        };
        options.setTracingOptions(new TracingOptions().setFactory(ignored -> tracer));
    }

    private final Handler<HttpServerRequest> answer = this::refuse;

    private void refuse(HttpServerRequest request) {
        DecoderResult result = ((HttpServerRequestInternal) request).decoderResult();
        int status;
        String message;
        if (result.cause() instanceof TooLongHttpLineException) {
            status = 414;
            message = "the request line (method, target and version) is longer than " + maxLine + " bytes";
        } else if (result.cause() instanceof TooLongHttpHeaderException) {
            status = 431;
            message = "the request's headers are larger than " + maxHeaders / 1024 + " KiB";
        } else {
            status = 400;
            message = "the request is not valid HTTP/1.1: its request line or a header could not be read";
        }
        ApiError error = ApiError.of(status, ExceptionMappers.frameworkCode(status), message);
        boolean lost = pathLost(request);
        boolean dataPlane = !lost && dataPlane(request);
        Buffer body = lost ? ErrorBodies.either(error, "UNSUPPORTED")
                : dataPlane ? ErrorBodies.oci("UNSUPPORTED", message, null) : ErrorBodies.management(error);
        if (lost || dataPlane) {
            HttpEdge.dataPlaneHeaders(request.response());
        }
        // Vert.x closes the connection once this is written: what follows on it cannot be framed
        request.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .putHeader("Connection", "close").end(body);
    }

    /**
     * Whether the decoder could not read the request line: it then hands over a request of its own making (Netty's
     * {@code GET /bad-request HTTP/1.0}, as Vert.x's default handler recognises it), so which API it was for is lost.
     */
    private static boolean pathLost(HttpServerRequest request) {
        return request.method() == HttpMethod.GET && request.version() == HttpVersion.HTTP_1_0
                && "/bad-request".equals(request.uri());
    }

    private static boolean dataPlane(HttpServerRequest request) {
        try {
            return HttpEdge.isDataPlane(request);
        } catch (RuntimeException unparsable) {
            return false;
        }
    }
}
