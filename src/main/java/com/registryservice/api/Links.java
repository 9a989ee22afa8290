package com.registryservice.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The {@code _links} of every listing answer (cursor and offset listings alike); absent links have no page. */
@Schema(name = "PaginationLinks", description = "Absent when there is no such page")
public record Links(String self, String next, String previous) {
}
