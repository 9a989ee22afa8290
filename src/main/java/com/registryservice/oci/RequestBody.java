package com.registryservice.oci;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.streams.ReadStream;

/**
 * A request's body, read only once the caller is authenticated and allowed: a client that hangs up before then (its
 * connection's failure has nobody to hear it yet) is still reported to the reader when it attaches, instead of
 * leaving the reader waiting for a body that never comes, and the upload it names claimed.
 */
final class RequestBody implements ReadStream<Buffer> {

    private final HttpServerRequest request;
    private final Context context;
    private Handler<Throwable> exceptionHandler;
    private Throwable failure;

    RequestBody(HttpServerRequest request, Context context) {
        this.request = request;
        this.context = context;
        request.exceptionHandler(this::failed);
    }

    private void failed(Throwable failure) {
        if (exceptionHandler != null) {
            exceptionHandler.handle(failure);
        } else {
            this.failure = failure;
        }
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        this.exceptionHandler = handler;
        if (handler != null && failure != null) {
            Throwable early = failure;
            failure = null;
            // after the reader has attached its other handlers, as a failure arriving from the connection would
            context.runOnContext(v -> handler.handle(early));
        }
        return this;
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> handler) {
        request.handler(handler);
        return this;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
        request.endHandler(endHandler);
        return this;
    }

    @Override
    public ReadStream<Buffer> pause() {
        request.pause();
        return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
        request.resume();
        return this;
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
        request.fetch(amount);
        return this;
    }
}
