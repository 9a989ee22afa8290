package com.registryservice.api;

import java.util.List;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The two error bodies as bytes, for answers written on Vert.x routes (the JAX-RS mappers return an {@link ApiError}
 * and Jackson writes it): the management API's and the OCI distribution spec's. Whoever refuses a request, its body
 * is built here, bounded by {@link ErrorText}.
 */
public final class ErrorBodies {

    private ErrorBodies() {
    }

    /** {@code {"httpStatus": …, "messages": [{"errorCode", "message"}]}}. */
    public static Buffer management(ApiError error) {
        return JsonObject.mapFrom(error).toBuffer();
    }

    /**
     * Both shapes in one body, for a refusal that cannot tell which API a request was for (the HTTP decoder keeps no
     * path of a request line it could not read): each API's clients find their members, and JSON readers skip the
     * others.
     */
    public static Buffer either(ApiError management, String ociCode) {
        return JsonObject.mapFrom(management).mergeIn(ociBody(ociCode, management.messages().get(0).message(), null))
                .toBuffer();
    }

    /**
     * {@code {"errors": [{"code", "message", "detail"}]}}; {@code detail} is an empty object when there is nothing
     * more to say (the spec makes it optional; it is always there, so that a client reads the same three members
     * from every error).
     */
    public static Buffer oci(String code, String message, Object detail) {
        return ociBody(code, message, detail).toBuffer();
    }

    private static JsonObject ociBody(String code, String message, Object detail) {
        JsonObject error = new JsonObject().put("code", code).put("message", ErrorText.bounded(message))
                .put("detail", detail instanceof List<?> list ? new JsonArray(ErrorText.bounded(list))
                        : detail instanceof String text ? ErrorText.bounded(text)
                                : detail == null ? new JsonObject() : detail);
        return new JsonObject().put("errors", new JsonArray().add(error));
    }
}
