package com.registryservice.content.service;

import java.security.MessageDigest;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.registryservice.api.JsonProblems;
import com.registryservice.content.ContentError;
import com.registryservice.content.ContentError.Code;
import com.registryservice.content.Digest;
import com.registryservice.content.repository.DistributionRepository;
import com.registryservice.content.repository.DistributionRepository.ManifestDeletion;
import com.registryservice.content.repository.DistributionRepository.ManifestPush;
import com.registryservice.content.repository.DistributionRepository.Referrer;
import com.registryservice.content.repository.DistributionRepository.StoredManifest;
import com.registryservice.storage.BlobStore;
import com.registryservice.storage.BlobStore.UploadState;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;

/**
 * The rules of the OCI data plane: names and references, digests verified while bytes stream in (a mismatch stores
 * nothing), uploads, mounts, manifests kept byte for byte with the blobs and manifests they reference, tags and
 * referrers. Blob bytes go to the {@link BlobStore}, metadata to the {@link DistributionRepository}.
 */
@ApplicationScoped
public class Distribution {

    /** Manifests larger than this are refused (413); the spec asks registries to take at least 4 MiB. */
    public static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
    public static final Pattern NAME_PATTERN = Pattern
            .compile("^[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*$");
    private static final Pattern TAG = Pattern.compile("^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$");
    private static final List<String> INDEX_TYPES = List.of("application/vnd.oci.image.index.v1+json",
            "application/vnd.docker.distribution.manifest.list.v2+json");

    private final DistributionRepository metadata;
    private final BlobStore store;
    private final ObjectMapper json;
    private final UploadHashes hashes;
    private final StorageReclaimer reclaimer;
    private final PullCounter pulls;

    public Distribution(DistributionRepository repository, BlobStore store, ObjectMapper json, UploadHashes hashes,
            StorageReclaimer reclaimer, PullCounter pulls) {
        this.pulls = pulls;
        this.metadata = repository;
        this.store = store;
        this.json = json;
        this.hashes = hashes;
        this.reclaimer = reclaimer;
    }

    /** A registry the caller reached, by name; null when there is none. */
    public Uni<DistributionRepository.RegistryRef> registry(String name) {
        return metadata.findRegistry(name);
    }

    /** Checks a repository name; {@code NAME_INVALID} naming the rule when it breaks it. */
    public static String repositoryName(String name) {
        if (name.length() > 255 || !NAME_PATTERN.matcher(name).matches()) {
            throw ContentError.nameInvalid("'" + name + "' is not a repository name: lower-case letters and digits,"
                    + " separated by '.', '_', '__', '-' or '/', at most 255 characters");
        }
        return name;
    }

    // --- blobs ------------------------------------------------------------------------------------------------

    /** The blob's size; {@code BLOB_UNKNOWN} when the repository does not hold it. */
    public Uni<Long> blobSize(UUID registry, String repository, Digest digest) {
        return metadata.blobSize(registry, repository, digest.toString()).onItem().ifNull()
                .failWith(() -> blobUnknown(repository, digest));
    }

    private static ContentError blobUnknown(String repository, Digest digest) {
        return new ContentError(404, Code.BLOB_UNKNOWN, "blob " + digest + " is not in repository '" + repository
                + "'");
    }

    /** Sends the blob's bytes (or a range of them) as the response body. */
    public Uni<Void> sendBlob(UUID registry, Digest digest, long offset, long length, HttpServerRequest request) {
        return store.send(digest.storageKey(registry), offset, length, request);
    }

    /** A URL the client may fetch the blob from directly, when the store hands those out. */
    public Uni<Optional<String>> blobUrl(UUID registry, Digest digest) {
        return store.directUrl(digest.storageKey(registry));
    }

    /**
     * Deletes the blob from the repository; once no repository holds it, its bytes go from the store right after
     * (they are queued in the same transaction).
     */
    public Uni<Void> deleteBlob(UUID registry, String repository, Digest digest) {
        return metadata.deleteBlob(registry, repository, digest.toString()).invoke(reclaimer::kick)
                .map(result -> switch (result) {
                    case DELETED -> (Void) null;
                    case UNKNOWN -> throw blobUnknown(repository, digest);
                    case IN_USE -> throw new ContentError(405, Code.UNSUPPORTED, "blob " + digest + " is used by a"
                            + " manifest of repository '" + repository + "'; delete the manifests that use it first");
                });
    }

    // --- uploads ----------------------------------------------------------------------------------------------

    /** Starts an upload; its hash is kept on this instance from its first byte. */
    public Uni<UUID> startUpload(UUID registry, String repository) {
        return metadata.startUpload(registry, repository).invoke(hashes::start);
    }

    /** The blob store's name of an upload's temporary bytes: under the registry, so a registry's bytes go together. */
    public static String uploadKey(UUID registry, String upload) {
        return registry + "/" + upload;
    }

    /**
     * The size of an upload so far; {@code BLOB_UPLOAD_UNKNOWN} when there is no such upload here. Asking keeps the
     * upload alive: garbage collection removes uploads nobody asked about or wrote to for its grace period.
     */
    public Uni<Long> uploadSize(UUID registry, String repository, String upload) {
        Optional<UUID> id = uploadId(upload);
        if (id.isEmpty()) {
            return Uni.createFrom().failure(uploadUnknown(upload));
        }
        return metadata.uploadSize(id.get(), registry, repository).onItem().ifNull()
                .failWith(() -> uploadUnknown(upload));
    }

    /**
     * Appends a chunk at {@code start} (the upload's size, or 416 when it is not: chunks come in order); without a
     * start the chunk is appended where the upload ends (a streamed upload). One request at a time writes to an
     * upload, on whichever instance; a second one at the same time is refused (416) rather than interleaved. The
     * upload's state is saved in PostgreSQL after each chunk, so that the next one may go to any instance.
     *
     * @return the upload's size after it
     */
    public Uni<Long> append(UUID registry, String repository, String upload, Optional<Long> start,
            ReadStream<Buffer> data) {
        return claim(registry, repository, upload).flatMap(claimed -> {
            UUID id = UUID.fromString(upload);
            if (start.isPresent() && start.get() != claimed.size()) {
                return metadata.releaseUpload(id).flatMap(v -> Uni.createFrom().failure(new ContentError(416,
                        Code.BLOB_UPLOAD_INVALID, "the chunk starts at byte " + start.get() + " but the upload holds "
                                + claimed.size() + " bytes: send the chunk that starts at " + claimed.size())));
            }
            Optional<MessageDigest> sha256 = hashes.at(id, claimed.size());
            return store.append(uploadKey(registry, upload), new UploadState(claimed.size(), claimed.note()), data,
                    sha256.<java.util.function.Consumer<Buffer>>map(h -> buffer -> update(h, buffer))
                            .orElse(buffer -> {
                            }))
                    .call(after -> metadata.saveUpload(id, after.size(), after.note()).flatMap(saved -> saved
                            ? Uni.createFrom().voidItem()
                            // the upload went while the chunk streamed in (cancelled, or its registry deleted): what
                            // was written belongs to nothing, and is removed rather than left behind
                            : store.deleteUpload(uploadKey(registry, upload)).onFailure().recoverWithNull()
                                    .replaceWith(Uni.createFrom().failure(uploadUnknown(upload)))))
                    .invoke(after -> hashes.advanced(id, after.size(), sha256))
                    .map(UploadState::size)
                    .onFailure().call(() -> {
                        // the hash saw bytes the upload did not keep
                        hashes.forget(id);
                        return metadata.releaseUpload(id).onFailure().recoverWithNull();
                    });
        });
    }

    /** Claims the upload for this request; {@code BLOB_UPLOAD_UNKNOWN}, or 416 when another request writes to it. */
    private Uni<DistributionRepository.ClaimedUpload> claim(UUID registry, String repository, String upload) {
        Optional<UUID> id = uploadId(upload);
        if (id.isEmpty()) {
            return Uni.createFrom().failure(uploadUnknown(upload));
        }
        return metadata.claimUpload(id.get(), registry, repository).onItem().ifNull().failWith(() -> uploadUnknown(upload))
                .invoke(claimed -> {
                    if (claimed.busy()) {
                        throw new ContentError(416, Code.BLOB_UPLOAD_INVALID, "another request is writing to upload "
                                + upload + ": send chunks one after the other. A writer that crashed holds the upload"
                                + " until its claim runs out at " + claimed.claimedUntil().toInstant()
                                .truncatedTo(ChronoUnit.SECONDS) + "; or start a new upload");
                    }
                });
    }

    /**
     * Finishes an upload with its last chunk (if any): the store makes its bytes one whole, the digest is verified,
     * then the bytes move into the registry's store in the transaction that records the blob (see
     * {@link DistributionRepository#recordBlob}). A mismatch stores nothing and ends the upload.
     */
    public Uni<Void> finishUpload(UUID registry, String repository, String upload, Digest expected,
            Optional<ReadStream<Buffer>> lastChunk) {
        Uni<Long> chunk = lastChunk.isPresent() ? append(registry, repository, upload, Optional.empty(), lastChunk.get())
                : Uni.createFrom().item(0L);
        return chunk.flatMap(v -> claim(registry, repository, upload)).flatMap(claimed -> {
            UUID id = UUID.fromString(upload);
            String key = uploadKey(registry, upload);
            return store.seal(key, new UploadState(claimed.size(), claimed.note()))
                    .flatMap(v -> computed(registry, id, claimed.size(), expected.algorithm()))
                    .flatMap(actual -> {
                        if (!actual.equals(expected)) {
                            return cancelUpload(registry, repository, upload).onFailure().recoverWithNull()
                                    .flatMap(v -> Uni.createFrom().failure(ContentError.digestInvalid("the uploaded"
                                            + " bytes have digest " + actual + ", not " + expected
                                            + "; nothing was stored")));
                        }
                        return metadata.recordBlob(registry, repository, expected.toString(), claimed.size(),
                                id, store.commit(key, expected.storageKey(registry)))
                                .invoke(reclaimer::kick);
                    })
                    .onFailure().call(() -> metadata.releaseUpload(id).onFailure().recoverWithNull())
                    .eventually(() -> hashes.forget(id));
        });
    }

    /** The digest of the upload: from the hash kept while its bytes passed, or (on another instance) its bytes. */
    private Uni<Digest> computed(UUID registry, UUID id, long size, String algorithm) {
        Optional<MessageDigest> kept = "sha256".equals(algorithm) ? hashes.at(id, size) : Optional.empty();
        if (kept.isPresent()) {
            return Uni.createFrom().item(Digest.of(algorithm, kept.get()));
        }
        MessageDigest hasher = Digest.hasher(algorithm);
        return store.readUpload(uploadKey(registry, id.toString()), new HashingStream(hasher))
                .map(v -> Digest.of(algorithm, hasher));
    }

    public Uni<Void> cancelUpload(UUID registry, String repository, String upload) {
        Optional<UUID> id = uploadId(upload);
        if (id.isEmpty()) {
            return Uni.createFrom().failure(uploadUnknown(upload));
        }
        hashes.forget(id.get());
        return metadata.deleteUpload(id.get(), registry, repository)
                .flatMap(deleted -> deleted ? store.deleteUpload(uploadKey(registry, upload))
                        : Uni.createFrom().failure(uploadUnknown(upload)));
    }

    /**
     * Mounts a blob that repository {@code from} of the same registry holds into {@code repository} (the registry
     * stores its bytes once); false when {@code from} does not hold it.
     */
    public Uni<Boolean> mount(UUID registry, String repository, Digest digest, String from) {
        return metadata.mountBlob(registry, repository, digest.toString(), from);
    }

    private static Optional<UUID> uploadId(String upload) {
        try {
            return Optional.of(UUID.fromString(upload));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static ContentError uploadUnknown(String upload) {
        return new ContentError(404, Code.BLOB_UPLOAD_UNKNOWN, "upload '" + upload + "' does not exist in this"
                + " repository (finished, cancelled or never started)");
    }

    // --- manifests --------------------------------------------------------------------------------------------

    /** A manifest as stored, found by tag or digest. */
    public Uni<StoredManifest> manifest(UUID registry, String repository, String reference) {
        boolean byDigest = Digest.looksLikeDigest(reference);
        if (byDigest) {
            Digest.parse(reference);
        }
        return metadata.findManifest(registry, repository, reference, byDigest).onItem().ifNull()
                .failWith(() -> new ContentError(404, Code.MANIFEST_UNKNOWN, "manifest '" + reference
                        + "' is not in repository '" + repository + "'"));
    }

    /** Counts a pull of the manifest (written with others shortly after, see {@link PullCounter}). */
    public void countPull(UUID registry, String repository, String digest) {
        pulls.pulled(registry, repository, digest);
    }

    /** What a manifest push stored. */
    public record Pushed(Digest digest, Optional<String> subject) {
    }

    /**
     * Stores a manifest byte for byte under its digest (and the tag, when the reference is one), after checking it
     * parses and that the registry holds every blob and manifest it references.
     */
    public Uni<Pushed> putManifest(UUID registry, String repository, String reference, String contentType,
            byte[] content) {
        boolean byDigest = Digest.looksLikeDigest(reference);
        Digest digest;
        if (byDigest) {
            Digest given = Digest.parse(reference);
            MessageDigest hasher = given.hasher();
            hasher.update(content);
            digest = Digest.of(given.algorithm(), hasher);
            if (!digest.equals(given)) {
                throw ContentError.digestInvalid("the manifest's bytes have digest " + digest + ", not " + given);
            }
        } else {
            tag(reference);
            digest = Digest.sha256(content);
        }
        JsonNode manifest = parse(content);
        String requested = contentType == null ? "" : contentType.split(";")[0].trim();
        boolean own = manifest.path("mediaType").isTextual();
        String mediaType = own ? manifest.path("mediaType").asText() : requested;
        if (mediaType.isEmpty()) {
            throw ContentError.manifestInvalid("the manifest names no mediaType, and the request no Content-Type");
        }
        if (mediaType.startsWith("application/vnd.docker.distribution.manifest.v1")) {
            throw ContentError.manifestInvalid("Docker image manifest schema 1 is not supported: push schema 2 or OCI");
        }
        ManifestRules.mediaType(mediaType, own);
        boolean index = INDEX_TYPES.contains(mediaType) || manifest.has("manifests") && !manifest.has("layers");
        ManifestRules.check(manifest, index);
        if (ManifestRules.MANIFEST_TYPES.contains(requested) && !requested.equals(mediaType)) {
            throw ContentError.manifestInvalid("the request's Content-Type '" + requested + "' is not the manifest's"
                    + " mediaType '" + mediaType + "': send the manifest with its own media type");
        }
        References blobs = new References();
        References children = new References();
        if (index) {
            JsonNode manifests = manifest.path("manifests");
            for (int i = 0; i < manifests.size(); i++) {
                children.add(manifests.get(i), "manifests[" + i + "]");
            }
        } else {
            if (manifest.has("config")) {
                blobs.add(manifest.get("config"), "config");
            }
            JsonNode layers = manifest.path("layers");
            for (int i = 0; i < layers.size(); i++) {
                // foreign layers live elsewhere (their urls); the registry does not hold them
                if (layers.get(i).has("urls")) {
                    descriptorDigest(layers.get(i), "layers[" + i + "]");
                } else {
                    blobs.add(layers.get(i), "layers[" + i + "]");
                }
            }
        }
        Optional<String> subject = manifest.hasNonNull("subject")
                ? Optional.of(descriptorDigest(manifest.get("subject"), "subject")) : Optional.empty();
        String artifactType = manifest.path("artifactType").isTextual() ? manifest.path("artifactType").asText()
                : manifest.path("config").path("mediaType").isTextual()
                        ? manifest.path("config").path("mediaType").asText() : null;
        JsonObject annotations = manifest.path("annotations").isObject()
                ? new JsonObject(manifest.path("annotations").toString()) : null;
        ManifestPush push = new ManifestPush(registry, repository, digest.toString(), mediaType, content,
                artifactType, subject.orElse(null), annotations, blobs.sizes, children.sizes,
                byDigest ? Optional.empty() : Optional.of(reference));
        return metadata.putManifest(push).map(unmatched -> {
            List<String> missing = unmatched.missing();
            if (!missing.isEmpty()) {
                throw new ContentError(400, Code.MANIFEST_BLOB_UNKNOWN, "the manifest references "
                        + String.join(", ", missing) + ", which repository '" + repository + "' does not hold: push "
                        + (missing.size() == 1 ? "it" : "them") + " (or mount " + (missing.size() == 1 ? "it" : "them")
                        + " from a repository of this registry) first", missing);
            }
            if (!unmatched.otherSize().isEmpty()) {
                List<String> wrong = new ArrayList<>();
                unmatched.otherSize().forEach((held, size) -> wrong.add(blobs.sizes.containsKey(held)
                        ? blobs.otherSize(held, "blob", size) : children.otherSize(held, "manifest", size)));
                throw new ContentError(400, Code.MANIFEST_INVALID, String.join("; ", wrong)
                        + ": a client pulling it would refuse it", List.copyOf(unmatched.otherSize().keySet()));
            }
            return new Pushed(digest, subject);
        });
    }

    /**
     * The blobs (or manifests) a manifest references: each digest with the size its descriptors give it, and where
     * the first of them is. One digest given two sizes is refused here: one of them is wrong whatever is stored.
     */
    private static final class References {

        private final Map<String, Long> sizes = new LinkedHashMap<>();
        private final Map<String, String> where = new HashMap<>();

        void add(JsonNode descriptor, String at) {
            String digest = descriptorDigest(descriptor, at);
            long size = descriptor.get("size").asLong();
            Long before = sizes.putIfAbsent(digest, size);
            if (before == null) {
                where.put(digest, at);
            } else if (before != size) {
                throw ContentError.manifestInvalid(at + " gives " + digest + " a size of " + size + " bytes, "
                        + where.get(digest) + " gives it " + before);
            }
        }

        String otherSize(String digest, String kind, long held) {
            return where.get(digest) + " gives " + digest + " a size of " + sizes.get(digest) + " bytes, but the "
                    + kind + " has " + held + " bytes";
        }
    }

    private JsonNode parse(byte[] content) {
        try {
            JsonNode node = json.readTree(content);
            if (node == null || !node.isObject()) {
                throw ContentError.manifestInvalid("the manifest is not a JSON object");
            }
            return node;
        } catch (java.io.IOException e) {
            throw ContentError.manifestInvalid("the manifest is not valid JSON" + (e instanceof
                    com.fasterxml.jackson.core.JsonProcessingException j ? ": " + JsonProblems.describe(j) : ""));
        }
    }

    private static String descriptorDigest(JsonNode descriptor, String where) {
        if (!descriptor.path("digest").isTextual()) {
            throw ContentError.manifestInvalid(where + ": a descriptor without a digest");
        }
        try {
            return Digest.parse(descriptor.get("digest").asText()).toString();
        } catch (ContentError e) {
            throw ContentError.manifestInvalid(where + ": " + e.getMessage());
        }
    }

    /** Whether {@code reference} has the form of a tag. */
    public static boolean isTag(String reference) {
        return TAG.matcher(reference).matches();
    }

    /** Checks the tag a manifest is pushed under; {@code MANIFEST_INVALID} naming the rule when it breaks it. */
    public static String tag(String tag) {
        if (!isTag(tag)) {
            throw new ContentError(400, Code.MANIFEST_INVALID, "'" + tag + "' is not a tag: up to 128 letters,"
                    + " digits, '_', '.' and '-', not starting with '.' or '-'");
        }
        return tag;
    }

    public Uni<Void> deleteManifest(UUID registry, String repository, String reference) {
        if (!Digest.looksLikeDigest(reference)) {
            return metadata.deleteTag(registry, repository, reference).map(deleted -> {
                if (!deleted) {
                    throw new ContentError(404, Code.MANIFEST_UNKNOWN, "tag '" + reference + "' is not in repository '"
                            + repository + "'");
                }
                return null;
            });
        }
        Digest.parse(reference);
        return metadata.deleteManifest(registry, repository, reference).map(result -> {
            if (result == ManifestDeletion.UNKNOWN) {
                throw new ContentError(404, Code.MANIFEST_UNKNOWN, "manifest " + reference + " is not in repository '"
                        + repository + "'");
            }
            if (result == ManifestDeletion.LISTED_BY_INDEX) {
                throw new ContentError(405, Code.UNSUPPORTED, "manifest " + reference + " is listed by an image index"
                        + " of this repository; delete the index first");
            }
            return null;
        });
    }

    /** Up to {@code n} tags after {@code last}; {@code NAME_UNKNOWN} when the repository does not exist. */
    public Uni<List<String>> tags(UUID registry, String repository, Optional<String> last, int n) {
        return metadata.repositoryExists(registry, repository).flatMap(exists -> {
            if (!exists) {
                throw new ContentError(404, Code.NAME_UNKNOWN, "repository '" + repository + "' is not in this registry");
            }
            return metadata.tags(registry, repository, last, n);
        });
    }

    public Uni<List<Referrer>> referrers(UUID registry, String repository, Digest subject,
            Optional<String> artifactType) {
        return metadata.referrers(registry, repository, subject.toString(), artifactType);
    }

    /** Feeds a buffer to a hasher without copying it out of its (often direct) memory. */
    private static void update(MessageDigest hasher, Buffer buffer) {
        hasher.update(buffer.getByteBuf().nioBuffer());
    }

    /** Feeds every buffer to a hasher; the end of a verification that could not use a kept hash. */
    private static final class HashingStream implements WriteStream<Buffer> {
        private final MessageDigest hasher;

        HashingStream(MessageDigest hasher) {
            this.hasher = hasher;
        }

        @Override
        public WriteStream<Buffer> exceptionHandler(io.vertx.core.Handler<Throwable> handler) {
            return this;
        }

        @Override
        public io.vertx.core.Future<Void> write(Buffer data) {
            update(hasher, data);
            return io.vertx.core.Future.succeededFuture();
        }

        @Override
        public void write(Buffer data, io.vertx.core.Handler<io.vertx.core.AsyncResult<Void>> handler) {
            handler.handle(write(data));
        }

        @Override
        public void end(io.vertx.core.Handler<io.vertx.core.AsyncResult<Void>> handler) {
            handler.handle(io.vertx.core.Future.succeededFuture());
        }

        @Override
        public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
            return this;
        }

        @Override
        public boolean writeQueueFull() {
            return false;
        }

        @Override
        public WriteStream<Buffer> drainHandler(io.vertx.core.Handler<Void> handler) {
            return this;
        }
    }
}
