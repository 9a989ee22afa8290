package com.registryservice.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The {@code pagination} object of a cursor listing answer. */
@Schema(name = "Pagination")
public record Pagination(int limit,
        @Schema(description = "Pass as pagination.token to get the next page; absent on the last page") String token) {
}
