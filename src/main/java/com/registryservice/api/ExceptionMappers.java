package com.registryservice.api;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/**
 * Turns every failure into the one error shape. Client mistakes are answered precisely and logged at DEBUG; only
 * faults of the service are logged at ERROR, with a reference that the client also receives.
 */
public class ExceptionMappers {

    private final String realm;
    private final AllowedMethods allowedMethods;

    public ExceptionMappers(@ConfigProperty(name = "quarkus.security.users.file.realm-name") String realm,
            AllowedMethods allowedMethods) {
        this.realm = realm;
        this.allowedMethods = allowedMethods;
    }

    @ServerExceptionMapper
    public Response api(ApiException e) {
        ApiError error = e.toError();
        Response response = respond(error);
        // a limit reached: when to come back
        return error.httpStatus() == 429
                ? Response.fromResponse(response).header(HttpHeaders.RETRY_AFTER, "10").build() : response;
    }

    @ServerExceptionMapper
    public Response jsonSyntax(StreamReadException e) {
        return respond(ApiError.of(400, ErrorCode.INVALID_REQUEST_BODY, "The request body is not valid JSON: "
                + JsonProblems.describe(e)));
    }

    /** Jackson's bounds on what it reads (nesting, the length of names, numbers and strings). */
    @ServerExceptionMapper
    public Response jsonLimits(StreamConstraintsException e) {
        return respond(ApiError.of(400, ErrorCode.INVALID_REQUEST_BODY, "The request body cannot be read: "
                + JsonProblems.describe(e)));
    }

    /** The answer to a JSON reading failure wrapped in another exception (a bound, or the syntax); null if other. */
    private Response readingFailure(Throwable cause) {
        if (cause instanceof StreamConstraintsException limits) {
            return jsonLimits(limits);
        }
        return cause instanceof StreamReadException syntax ? jsonSyntax(syntax) : null;
    }

    /** Named for the subtypes too: Quarkus has built-in mappers for them that would otherwise win. */
    @ServerExceptionMapper({ JsonMappingException.class, MismatchedInputException.class, InvalidFormatException.class,
            com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException.class })
    public Response jsonMapping(JsonMappingException e) {
        Response unwrapped = readingFailure(e.getCause());
        if (unwrapped != null) {
            return unwrapped;
        }
        if (e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException unknown) {
            String known = unknown.getKnownPropertyIds() == null ? "" : unknown.getKnownPropertyIds().stream()
                    .map(String::valueOf).sorted().collect(java.util.stream.Collectors.joining(", "));
            return respond(ApiError.of(400, ErrorCode.INVALID_REQUEST_BODY, FieldErrors.quote(
                    unknown.getPropertyName()) + " is not a field of this request; it takes " + known
                    + " (at the top level)"));
        }
        String path = jsonPath(e.getPath());
        if (path.isEmpty()) {
            boolean empty = e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("No content");
            return respond(ApiError.of(400, ErrorCode.INVALID_REQUEST_BODY,
                    empty ? "The request body is missing: send a JSON object" : "The request body must be a JSON object"));
        }
        String problem;
        if (e instanceof InvalidFormatException invalid && invalid.getTargetType() != null
                && invalid.getTargetType().isEnum()) {
            problem = FieldErrors.quote(invalid.getValue()) + " is not one of "
                    + Arrays.stream(invalid.getTargetType().getEnumConstants()).map(String::valueOf)
                            .collect(Collectors.joining(", "));
        } else if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            problem = "must be " + jsonTypeOf(mismatch.getTargetType());
        } else {
            problem = "has an invalid value";
        }
        return respond(ApiError.of(400, ErrorCode.INVALID_REQUEST_BODY, path + ": " + problem));
    }

    @ServerExceptionMapper
    public Response jsonOther(JsonProcessingException e) {
        return respond(ApiError.of(400, ErrorCode.INVALID_REQUEST_BODY, "The request body is not valid JSON"));
    }

    @ServerExceptionMapper
    public Response beanValidation(ConstraintViolationException e) {
        List<ApiError.Message> messages = e.getConstraintViolations().stream()
                .map(ExceptionMappers::describe)
                .sorted()
                .map(text -> new ApiError.Message(ErrorCode.INVALID_FIELD.name(), text))
                .toList();
        return respond(new ApiError(400, messages));
    }

    @ServerExceptionMapper({ UnauthorizedException.class, AuthenticationFailedException.class,
            AuthenticationCompletionException.class })
    public Response unauthorized(RuntimeException e, io.vertx.core.http.HttpServerRequest request) {
        boolean sent = request.getHeader(HttpHeaders.AUTHORIZATION) != null;
        return Response.status(401)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"" + realm + "\"")
                .entity(ApiError.of(401, ErrorCode.UNAUTHORIZED, sent
                        ? "The credentials were not accepted: check the user name and password (HTTP Basic)"
                        : "Authentication is required: send HTTP Basic credentials of a registry-service user"))
                .type(MediaType.APPLICATION_JSON)
                .build();
    }

    /**
     * A denial, or a permission check that failed: Quarkus wraps a checker's failure (its registry could not be read
     * while the database is down) in a ForbiddenException, which would tell the client its permission is gone. That
     * failure is answered as itself (503 for the database), still without running the operation.
     */
    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        if (e.getCause() != null) {
            return internal(e.getCause());
        }
        return respond(ApiError.of(403, ErrorCode.FORBIDDEN, "You are not allowed to perform this operation"));
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return respond(ApiError.of(404, ErrorCode.NOT_FOUND, "There is no resource at this path"));
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e, io.vertx.core.http.HttpServerRequest request) {
        Optional<String> allowed = allowedMethods.of(request.path());
        Response answer = respond(ApiError.of(405, ErrorCode.METHOD_NOT_ALLOWED, "This HTTP method is not supported"
                + " on this path" + allowed.map(methods -> "; it takes " + methods).orElse("")));
        return allowed.map(methods -> Response.fromResponse(answer).header("Allow", methods).build()).orElse(answer);
    }

    @ServerExceptionMapper
    public Response notSupported(NotSupportedException e) {
        return respond(ApiError.of(415, ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                "The request body must be JSON: send it with 'Content-Type: application/json'"));
    }

    @ServerExceptionMapper
    public Response notAcceptable(NotAcceptableException e) {
        return respond(ApiError.of(406, ErrorCode.NOT_ACCEPTABLE,
                "This API answers with application/json (its event stream, /events, with text/event-stream):"
                        + " accept that media type"));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        // Quarkus REST wraps some body-reading failures; answer those as precisely as unwrapped ones
        Response unwrapped = readingFailure(e.getCause());
        if (unwrapped != null) {
            return unwrapped;
        }
        if (e.getCause() instanceof JsonMappingException mapping) {
            return jsonMapping(mapping);
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return internal(e);
        }
        return respond(ApiError.of(status, frameworkCode(status), frameworkMessage(status)));
    }

    /** The error code of a status the HTTP layer answered by itself (never CONFLICT for what is no conflict). */
    static ErrorCode frameworkCode(int status) {
        return switch (status) {
            case 401 -> ErrorCode.UNAUTHORIZED;
            case 403 -> ErrorCode.FORBIDDEN;
            case 404 -> ErrorCode.NOT_FOUND;
            case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
            case 406 -> ErrorCode.NOT_ACCEPTABLE;
            case 409 -> ErrorCode.CONFLICT;
            case 412 -> ErrorCode.PRECONDITION_FAILED;
            case 408 -> ErrorCode.REQUEST_TIMEOUT;
            case 411 -> ErrorCode.LENGTH_REQUIRED;
            case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
            case 414 -> ErrorCode.URI_TOO_LONG;
            case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            case 431 -> ErrorCode.HEADERS_TOO_LARGE;
            case 429 -> ErrorCode.TOO_MANY_REQUESTS;
            default -> ErrorCode.INVALID_PARAMETER;
        };
    }

    private static String frameworkMessage(int status) {
        return switch (status) {
            case 400 -> "The request is malformed: check its parameters and body";
            case 408 -> "The request took too long to arrive";
            case 413 -> "The request body is too large";
            case 414 -> "The request URI is too long";
            case 429 -> "Too many requests: retry later";
            default -> "The request was refused (HTTP " + status + ")";
        };
    }

    @ServerExceptionMapper
    public Response internal(Throwable e) {
        if (Causes.hungUp(e)) {
            // nobody reads this answer: it is the client's doing, neither the service's failure nor the database's
            Log.debugf("The client hung up before its request was read: %s", e.getMessage());
            return respond(ApiError.of(400, ErrorCode.INVALID_REQUEST_BODY, "The request body ended early: the"
                    + " connection closed"));
        }
        if (DatabaseUnavailable.badValue(e)) {
            return respond(ApiError.of(400, ErrorCode.INVALID_PARAMETER, "The request is malformed: "
                    + DatabaseUnavailable.BAD_VALUE));
        }
        if (DatabaseUnavailable.is(e)) {
            Log.warnf("Answering 503: the database is unreachable or busy (%s)", e.getMessage());
            return Response.fromResponse(respond(ApiError.of(503, ErrorCode.SERVICE_UNAVAILABLE,
                    "The service cannot use its database right now; retry in a few seconds")))
                    .header(HttpHeaders.RETRY_AFTER, "5").build();
        }
        String reference = UUID.randomUUID().toString();
        Log.errorf(e, "Unexpected failure, reference %s", reference);
        return respond(ApiError.of(500, ErrorCode.INTERNAL_ERROR,
                "The service failed to process the request; report the reference " + reference));
    }

    static Response respond(ApiError error) {
        if (error.httpStatus() < 500) {
            Log.debugf("Answering %d: %s", error.httpStatus(), error.messages());
        }
        return Response.status(error.httpStatus()).entity(error).type(MediaType.APPLICATION_JSON).build();
    }

    private static String describe(ConstraintViolation<?> violation) {
        StringBuilder field = new StringBuilder();
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.METHOD || node.getKind() == ElementKind.PARAMETER
                    || node.getKind() == ElementKind.CROSS_PARAMETER) {
                continue;
            }
            if (node.getIndex() != null) {
                field.append('[').append(node.getIndex()).append(']');
            }
            if (node.getName() != null && !node.getName().startsWith("<")) {
                if (!field.isEmpty()) {
                    field.append('.');
                }
                field.append(node.getName());
            }
        }
        if (field.isEmpty()) {
            return "The request body " + violation.getMessage();
        }
        String name = field.toString();
        Object value = violation.getInvalidValue();
        String was = value == null || value instanceof Collection<?> || value instanceof Map<?, ?>
                || value.getClass().isRecord() ? "" : " (was " + FieldErrors.quote(value) + ")";
        return name + ": " + violation.getMessage() + was;
    }

    private static String jsonPath(List<JsonMappingException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : references) {
            if (reference.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String jsonTypeOf(Class<?> type) {
        if (CharSequence.class.isAssignableFrom(type) || type.isEnum()) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (java.time.temporal.Temporal.class.isAssignableFrom(type)) {
            return "an RFC 3339 date-time string (such as 2030-01-31T12:00:00Z)";
        }
        return "an object";
    }

}
