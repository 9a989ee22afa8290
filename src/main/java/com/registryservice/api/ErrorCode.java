package com.registryservice.api;

/** The stable error codes of the API; each is listed in the README with its meaning. */
public enum ErrorCode {
    /** The body is not valid JSON, or a value has the wrong JSON type. */
    INVALID_REQUEST_BODY,
    /** A field of the body breaks a rule (pattern, range, allowed values). */
    INVALID_FIELD,
    /** A field that cannot change after creation was given a different value. */
    FIELD_NOT_CHANGEABLE,
    /** A path or query parameter is malformed or out of range. */
    INVALID_PARAMETER,
    /** A pagination token was not issued by this service, or not for this query. */
    INVALID_PAGINATION_TOKEN,
    /** No credentials, or wrong ones. */
    UNAUTHORIZED,
    /** The caller may not do this. */
    FORBIDDEN,
    /** The resource does not exist. */
    NOT_FOUND,
    /** The HTTP method is not supported on this path. */
    METHOD_NOT_ALLOWED,
    /** The response cannot be produced in an accepted media type. */
    NOT_ACCEPTABLE,
    /** The registry name is taken (names are global). */
    NAME_TAKEN,
    /** The request conflicts with the current state, e.g. a concurrent change. */
    CONFLICT,
    /** If-Match named a version of the resource that is no longer the current one (or it does not exist). */
    PRECONDITION_FAILED,
    /** An Idempotency-Key was used before with a different request body. */
    IDEMPOTENCY_KEY_REUSED,
    /** The body is not JSON. */
    UNSUPPORTED_MEDIA_TYPE,
    /** The request body is larger than the service takes. */
    PAYLOAD_TOO_LARGE,
    LENGTH_REQUIRED,
    /** A body that is read whole did not arrive within registry.body-timeout. */
    REQUEST_TIMEOUT,
    /** The request target (path and query) is longer than the service takes. */
    URI_TOO_LONG,
    /** The request's headers are larger than the service takes. */
    HEADERS_TOO_LARGE,
    /** Too many requests from this caller or on this instance; retry after the time given in Retry-After. */
    TOO_MANY_REQUESTS,
    /** A fault of the service; the message carries a reference to find it in the log. */
    INTERNAL_ERROR,
    /** The service cannot answer right now (e.g. its database is unreachable); retry later. */
    SERVICE_UNAVAILABLE
}
