package com.registryservice.api;

import java.util.List;

/** A client-visible failure: rendered as {@link ApiError} with this status, never with a stack trace. */
public class ApiException extends RuntimeException {

    private final int status;
    private final List<ApiError.Message> messages;

    public ApiException(int status, List<ApiError.Message> messages) {
        super(messages.isEmpty() ? "" : messages.get(0).message(), null, false, false);
        this.status = status;
        this.messages = List.copyOf(messages);
    }

    public ApiException(int status, ErrorCode code, String message) {
        this(status, List.of(new ApiError.Message(code.name(), message)));
    }

    public static ApiException badRequest(ErrorCode code, String message) {
        return new ApiException(400, code, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, ErrorCode.NOT_FOUND, message);
    }

    public static ApiException conflict(ErrorCode code, String message) {
        return new ApiException(409, code, message);
    }

    public int status() {
        return status;
    }

    public ApiError toError() {
        return new ApiError(status, messages);
    }
}
