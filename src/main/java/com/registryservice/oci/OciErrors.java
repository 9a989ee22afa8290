package com.registryservice.oci;

import java.util.List;
import java.util.UUID;

import com.registryservice.api.Causes;
import com.registryservice.api.DatabaseUnavailable;
import com.registryservice.api.ErrorBodies;
import com.registryservice.content.ContentError;
import com.registryservice.content.ContentError.Code;
import com.registryservice.storage.StorageUnavailable;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.ext.web.RoutingContext;

/**
 * The one place where data-plane failures become answers: the OCI error body
 * {@code {"errors":[{"code","message","detail"}]}} with the status of the code. A client's mistake is a 4xx naming
 * what was wrong; anything else is logged with a reference and answered without a stack trace or class name.
 */
final class OciErrors {

    private OciErrors() {
    }

    static ContentError unauthorized(String message) {
        return new ContentError(401, Code.UNAUTHORIZED, message);
    }

    /**
     * The challenges of a 401: the token flow first (docker, podman, skopeo, helm and oras follow it), then Basic for
     * clients that only know that. The token endpoint itself challenges for Basic only.
     */
    private static void challenge(RoutingContext ctx, Throwable failure) {
        var request = ctx.request();
        var headers = ctx.response().headers();
        if (!OciRoutes.TOKEN_PATH.equals(request.path())) {
            String realm = request.scheme() + "://" + request.authority() + OciRoutes.TOKEN_PATH;
            String bearer = "Bearer realm=\"" + realm + "\",service=\"" + OciRoutes.SERVICE + "\"";
            if (failure instanceof InsufficientScope scoped) {
                bearer += ",scope=\"" + scoped.scope() + "\"" + (scoped.insufficient() ? ",error=\"insufficient_scope\"" : "");
            }
            headers.add("WWW-Authenticate", bearer);
        }
        headers.add("WWW-Authenticate", "Basic realm=\"registry-service\"");
    }

    static void answer(RoutingContext ctx, Throwable failure) {
        var response = ctx.response();
        if (response.ended()) {
            return;
        }
        if (Causes.hungUp(failure)) {
            // the client hung up, mid-body or before its answer: nobody to answer, and no failure of the service
            Log.debugf("The client hung up: %s %s", ctx.request().method(), ctx.request().path());
            return;
        }
        if (response.headWritten()) {
            // the body was under way (a blob streaming out): all that can be done is to cut the connection
            Log.warnf("A response was cut short: %s", failure.getMessage());
            ctx.request().connection().close();
            return;
        }
        int status;
        String code;
        String message;
        Object detail = null;
        if (failure instanceof ContentError e) {
            status = e.status();
            code = e.code().name();
            message = e.getMessage();
            detail = e.detail();
        } else if (DatabaseUnavailable.badValue(failure)) {
            status = 400;
            code = "UNSUPPORTED";
            message = DatabaseUnavailable.BAD_VALUE;
        } else if (failure instanceof StorageUnavailable || DatabaseUnavailable.is(failure)) {
            String reference = UUID.randomUUID().toString();
            String what = failure instanceof StorageUnavailable ? "its blob storage" : "its database";
            Log.warnf("Cannot use %s (reference %s): %s", what, reference, failure.getMessage());
            status = 503;
            code = "UNAVAILABLE";
            message = "the service cannot use " + what + " right now; retry shortly (reference " + reference + ")";
            response.putHeader("Retry-After", "5");
        } else {
            String reference = UUID.randomUUID().toString();
            Log.errorf(failure, "OCI request %s %s failed (reference %s)", ctx.request().method(), ctx.request().path(),
                    reference);
            status = 500;
            code = "UNKNOWN";
            message = "an internal error; its reference in the service's log is " + reference;
        }
        if (response.closed()) {
            return; // a failure of the service, logged above, that nobody waits for any more
        }
        if (status == 401) {
            challenge(ctx, failure);
        }
        if (status >= 500) {
            // what a route said of the content before it failed describes an answer that is not coming
            for (String header : List.of("ETag", "Accept-Ranges", "Docker-Content-Digest", "Content-Range")) {
                response.headers().remove(header);
            }
        }
        // bytes, not characters: a message with non-ASCII text must not cut the next response on the connection
        Buffer body = ErrorBodies.oci(code, message, detail);
        response.setStatusCode(status).putHeader("Content-Type", "application/json")
                .putHeader("Content-Length", Integer.toString(body.length()));
        var written = ctx.request().method() == io.vertx.core.http.HttpMethod.HEAD ? response.end() : response.end(body);
        // a refused request whose body was not read: a client waiting for 100 Continue will not send it, so the
        // connection closes once the answer is out; any other body is read and dropped
        if (!ctx.request().isEnded()) {
            if ("100-continue".equalsIgnoreCase(ctx.request().getHeader("Expect"))) {
                written.onComplete(done -> ctx.request().connection().close());
            } else {
                ctx.request().resume();
            }
        }
    }

    /** {@code SIZE_INVALID} with 413: a manifest over the limit. */
    static ContentError manifestTooLarge(int max) {
        return new ContentError(413, Code.SIZE_INVALID, "the manifest is larger than " + max / (1024 * 1024) + " MiB");
    }

    /** The whole request body, for manifests: at most {@code max} bytes, else {@code SIZE_INVALID} with 413. */
    static Uni<Buffer> body(ReadStream<Buffer> request, int max) {
        return Uni.createFrom().emitter(emitter -> {
            Buffer body = Buffer.buffer();
            boolean[] failed = { false };
            request.handler(chunk -> {
                if (failed[0]) {
                    return;
                }
                if (body.length() + chunk.length() > max) {
                    failed[0] = true;
                    emitter.fail(manifestTooLarge(max));
                    return;
                }
                body.appendBuffer(chunk);
            });
            request.exceptionHandler(emitter::fail);
            request.endHandler(v -> {
                if (!failed[0]) {
                    emitter.complete(body);
                }
            });
            request.resume();
        });
    }
}
