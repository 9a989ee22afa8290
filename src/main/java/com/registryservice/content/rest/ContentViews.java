package com.registryservice.content.rest;

import java.net.URI;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.registryservice.api.ApiException;
import com.registryservice.api.ErrorCode;
import com.registryservice.api.FieldErrors;
import com.registryservice.api.OffsetWindow;
import com.registryservice.api.Params;
import com.registryservice.content.ArtifactSummary;
import com.registryservice.content.ContentError;
import com.registryservice.content.Digest;
import com.registryservice.content.RepositorySummary;
import com.registryservice.content.service.Distribution;

/**
 * The wire models of repositories and artifacts (IONOS RepositoryRead and ArtifactRead, with the lists), mapped in
 * this one place. Vulnerability fields are absent: there is no scanner. Timestamps have millisecond precision.
 */
final class ContentViews {

    private ContentViews() {
    }

    @Schema(name = "RepositoryProperties")
    record RepositoryProperties(String name) {
    }

    @Schema(name = "RepositoryMetadata")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RepositoryMetadata(Instant createdDate, long artifactCount, long pullCount, long pushCount,
            Instant lastPulledAt, Instant lastPushedAt) {
    }

    @Schema(name = "RepositoryRead")
    record RepositoryRead(String id, String type, String href, RepositoryMetadata metadata,
            RepositoryProperties properties) {
    }

    @Schema(name = "ArtifactProperties")
    record ArtifactProperties(String repositoryName, String digest, List<String> tags, String mediaType) {
    }

    @Schema(name = "ArtifactMetadata")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ArtifactMetadata(Instant createdDate, Instant lastPushedAt, Instant lastPulledAt, long pushCount,
            long pullCount) {
    }

    @Schema(name = "ArtifactRead")
    record ArtifactRead(String id, String type, String href, ArtifactMetadata metadata, ArtifactProperties properties) {
    }

    /** A list answer: {@code _links} with {@code prev}, as IONOS's repositories and artifacts lists have them. */
    @Schema(name = "ContentList")
    record ListRead<T>(String id, String type, String href, List<T> items, int offset, int limit, long total,
            @JsonProperty("_links") OffsetWindow.PrevLinks links) {
    }

    static URI repositories(UriInfo uri, String registryId) {
        // a UUID (checked first: the builder takes '{' for a template)
        return uri.getBaseUriBuilder().path("registries").path(Params.uuid("registryId", registryId).toString())
                .path("repositories").build();
    }

    static RepositoryRead repository(UriInfo uri, String registryId, RepositorySummary r) {
        return new RepositoryRead(r.name(), "repository", repositories(uri, registryId) + "/" + r.name(),
                new RepositoryMetadata(r.createdDate(), r.artifactCount(), r.pullCount(), r.pushCount(),
                        r.lastPulledAt(), r.lastPushedAt()),
                new RepositoryProperties(r.name()));
    }

    static ArtifactRead artifact(UriInfo uri, String registryId, ArtifactSummary a) {
        return new ArtifactRead(a.digest(), "artifact", repositories(uri, registryId) + "/" + a.repository()
                + "/artifacts/" + a.digest(),
                new ArtifactMetadata(a.createdDate(), a.lastPushedAt(), a.lastPulledAt(),
                        a.pushCount(), a.pullCount()),
                new ArtifactProperties(a.repository(), a.digest(), a.tags(), a.mediaType()));
    }

    static <T> ListRead<T> list(String id, URI collection, UriInfo uri, OffsetWindow window, List<T> items,
            long total) {
        return new ListRead<>(id, "collection", collection.toString(), items, window.offset(), window.limit(), total,
                OffsetWindow.PrevLinks.of(window.links(collection, uri.getRequestUri(), total)));
    }

    static Optional<String> query(UriInfo uri, String name) {
        return Optional.ofNullable(uri.getQueryParameters().getFirst(name));
    }

    /** The IONOS filters on vulnerabilities a listing may take, those of them the request sent, with their values. */
    static Map<String, String> scannerFilters(UriInfo uri, String... names) {
        Map<String, String> sent = new HashMap<>();
        for (String name : names) {
            query(uri, name).ifPresent(value -> sent.put(name, value));
        }
        return sent;
    }

    /** A repository name from the path (it may hold '/'), checked; 400 naming the rule otherwise. */
    static String repositoryName(String name) {
        if (name == null || name.length() > 255 || !Distribution.NAME_PATTERN.matcher(name).matches()) {
            throw ApiException.badRequest(ErrorCode.INVALID_PARAMETER, "repositoryName: " + FieldErrors.quote(name)
                    + " is not a repository name (lower-case letters and digits, separated by '.', '_', '__', '-'"
                    + " or '/')");
        }
        return name;
    }

    /** An artifact's digest in a path: malformed is a 400 naming the parameter, as a malformed registryId is. */
    static String digest(String digest) {
        try {
            return Digest.parse(digest).toString();
        } catch (ContentError e) {
            throw ApiException.badRequest(ErrorCode.INVALID_PARAMETER, "digest: " + e.getMessage());
        }
    }
}
