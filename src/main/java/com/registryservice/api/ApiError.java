package com.registryservice.api;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The one error body of the API (IONOS {@code ApiErrorResponse}): an HTTP status and what went wrong. */
@Schema(name = "ApiErrorResponse", description = "Every error of this API has this shape.")
@RegisterForReflection(targets = { ApiError.class, ApiError.Message.class }) // built in mappers, not in signatures
public record ApiError(
        @Schema(examples = "400") int httpStatus,
        List<Message> messages) {

    /** One thing that went wrong: a stable code for programs and a sentence for people. */
    @Schema(name = "ApiErrorMessage")
    public record Message(
            @Schema(description = "Stable, documented code (see README, 'Errors')", examples = "INVALID_FIELD") String errorCode,
            @Schema(description = "What was wrong and how to fix it") String message) {

        public Message {
            message = ErrorText.bounded(message);
        }
    }

    public static ApiError of(int status, ErrorCode code, String message) {
        return new ApiError(status, List.of(new Message(code.name(), message)));
    }
}
