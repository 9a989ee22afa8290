package com.registryservice.content.service;

import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.registryservice.api.FieldErrors;
import com.registryservice.content.ContentError;

/**
 * What the OCI image spec (and Docker's schema 2, which it follows) requires of a manifest before the registry keeps
 * it: schema version 2, media types that are media types (a manifest's is answered as {@code Content-Type} on every
 * pull, so a line break or a control character in it would break each of them), and descriptors with a media type
 * and a size that is a non-negative integer (their digests are read, and checked, by {@link Distribution}). Each
 * refusal names the field. A {@code null} stands for an absent field, as Go clients write an empty list or map
 * without {@code omitempty}. The withdrawn artifact manifest ({@code application/vnd.oci.artifact.manifest.v1+json},
 * with {@code blobs}) has no config and is refused.
 *
 * <p>A manifest's own media type is one of the four manifest types ({@link #MANIFEST_TYPES}), as in CNCF distribution
 * and zot: it is the {@code Content-Type} of every pull, and one such as {@code text/html} would have the API's origin
 * serve a page of the pusher's making. Artifacts are image manifests with an {@code artifactType}.
 */
final class ManifestRules {

    /** The media types a manifest may be stored and answered with. */
    static final java.util.List<String> MANIFEST_TYPES = java.util.List.of("application/vnd.oci.image.manifest.v1+json",
            "application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.v2+json",
            "application/vnd.docker.distribution.manifest.list.v2+json");

    /** RFC 6838's type "/" subtype, with its restricted names (section 4.2); no parameters. */
    private static final Pattern MEDIA_TYPE = Pattern.compile(
            "[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}");

    private ManifestRules() {
    }

    /**
     * Checks the media type a manifest is stored and answered with: its {@code own} mediaType, or the request's
     * Content-Type, named as such in the refusal.
     */
    static void mediaType(String mediaType, boolean own) {
        String named = own ? "mediaType" : "Content-Type (the manifest names no mediaType)";
        mediaType(named, mediaType);
        if (!MANIFEST_TYPES.contains(mediaType)) {
            throw ContentError.manifestInvalid(named + ": " + FieldErrors.quote(mediaType) + " is not a manifest"
                    + " type this registry keeps (" + String.join(", ", MANIFEST_TYPES) + "); an artifact is an image"
                    + " manifest with an artifactType");
        }
    }

    /** Checks an image manifest ({@code index} false) or an index against the spec. */
    static void check(JsonNode manifest, boolean index) {
        JsonNode version = manifest.path("schemaVersion");
        if (!version.isIntegralNumber() || version.asLong() != 2) {
            throw ContentError.manifestInvalid("schemaVersion: must be 2, the version of OCI and Docker schema 2"
                    + " manifests (was " + shown(version) + ")");
        }
        optionalMediaType(manifest, "artifactType", "artifactType");
        if (index) {
            array(manifest, "manifests").forEach(d -> descriptor(d, "manifests[]"));
        } else {
            if (!present(manifest, "config") || !manifest.get("config").isObject()) {
                throw ContentError.manifestInvalid("config: an image manifest needs a config descriptor (an artifact"
                        + " without one uses the empty descriptor, application/vnd.oci.empty.v1+json)");
            }
            descriptor(manifest.get("config"), "config");
            array(manifest, "layers").forEach(d -> descriptor(d, "layers[]"));
        }
        if (present(manifest, "subject")) {
            descriptor(manifest.get("subject"), "subject");
        }
        annotations(manifest, "annotations");
    }

    /** Whether a field is there with a value ({@code null} counts as absent). */
    private static boolean present(JsonNode node, String field) {
        return node.hasNonNull(field);
    }

    private static JsonNode array(JsonNode manifest, String field) {
        JsonNode array = manifest.path(field);
        if (array.isNull()) {
            return JsonNodeFactory.instance.arrayNode(); // a Go nil slice
        }
        if (!array.isArray()) {
            throw ContentError.manifestInvalid(field + ": must be an array of descriptors (was " + shown(array) + ")");
        }
        return array;
    }

    private static void descriptor(JsonNode descriptor, String where) {
        if (!descriptor.isObject()) {
            throw ContentError.manifestInvalid(where + ": must be a descriptor object (was " + shown(descriptor) + ")");
        }
        if (!descriptor.path("mediaType").isTextual()) {
            throw ContentError.manifestInvalid(where + ".mediaType: a descriptor needs its media type");
        }
        mediaType(where + ".mediaType", descriptor.get("mediaType").asText());
        JsonNode size = descriptor.path("size");
        if (!size.isIntegralNumber() || !size.canConvertToLong() || size.asLong() < 0) {
            throw ContentError.manifestInvalid(where + ".size: must be the blob's size in bytes, an integer of 0 or"
                    + " more (was " + shown(size) + ")");
        }
        optionalMediaType(descriptor, "artifactType", where + ".artifactType");
        annotations(descriptor, where + ".annotations");
    }

    private static void optionalMediaType(JsonNode node, String field, String where) {
        if (present(node, field)) {
            if (!node.get(field).isTextual()) {
                throw ContentError.manifestInvalid(where + ": must be a media type string");
            }
            mediaType(where, node.get(field).asText());
        }
    }

    private static void mediaType(String where, String value) {
        if (!MEDIA_TYPE.matcher(value).matches()) {
            throw ContentError.manifestInvalid(where + ": " + FieldErrors.quote(value) + " is not a media type"
                    + " (type/subtype, letters, digits and !#$&^_.+- only, up to 127 characters each)");
        }
    }

    private static void annotations(JsonNode node, String where) {
        JsonNode annotations = node.path("annotations");
        if (annotations.isMissingNode() || annotations.isNull()) {
            return;
        }
        if (!annotations.isObject()) {
            throw ContentError.manifestInvalid(where + ": must be an object of string values");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = annotations.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!entry.getValue().isTextual()) {
                throw ContentError.manifestInvalid(where + "." + FieldErrors.quote(entry.getKey())
                        + ": must be a string");
            }
        }
    }

    /** A value as a message shows it (quoted, cut as every message's quote is). */
    private static String shown(JsonNode node) {
        return node.isMissingNode() ? "absent" : FieldErrors.quote(node.toString());
    }
}
