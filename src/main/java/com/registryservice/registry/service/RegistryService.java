package com.registryservice.registry.service;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.registryservice.api.ApiException;
import com.registryservice.api.ErrorCode;
import com.registryservice.api.ErrorText;
import com.registryservice.api.FieldErrors;
import com.registryservice.api.Listing;
import com.registryservice.api.Listings;
import com.registryservice.api.Preconditions;
import com.registryservice.database.Constraints;
import com.registryservice.database.LostConnection;
import com.registryservice.gc.GcSchedule;
import com.registryservice.content.service.StorageReclaimer;
import com.registryservice.gc.service.GcService;
import com.registryservice.registry.Registry;
import com.registryservice.registry.RegistryConfig;
import com.registryservice.registry.repository.IdempotencyKeyRepository;
import com.registryservice.registry.repository.RegistryReads;
import com.registryservice.registry.repository.RegistryRepository;
import com.registryservice.security.Actor;
import com.registryservice.security.RegistryLocations;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** The registries: their rules, lifecycle and storage. */
@ApplicationScoped
public class RegistryService implements RegistryLocations {

    private final RegistryRepository repository;
    private final RegistryReads reads;
    private final RegistryRules rules;
    private final ProvisioningJob provisioning;
    private final GcService gc;
    private final Listings listings;
    private final RequestRegistries requestRegistries;
    private final IdempotencyKeyRepository idempotencyKeys;
    private final RegistryConfig config;
    private final ObjectMapper json;
    private final StorageReclaimer reclaimer;

    public RegistryService(RegistryRepository repository, RegistryReads reads, RegistryRules rules, ProvisioningJob provisioning,
            GcService gc, Listings listings, RequestRegistries requestRegistries,
            IdempotencyKeyRepository idempotencyKeys, RegistryConfig config, ObjectMapper json,
            StorageReclaimer reclaimer) {
        this.repository = repository;
        this.reads = reads;
        this.reclaimer = reclaimer;
        this.idempotencyKeys = idempotencyKeys;
        this.config = config;
        this.json = json;
        this.requestRegistries = requestRegistries;
        this.rules = rules;
        this.provisioning = provisioning;
        this.gc = gc;
        this.listings = listings;
    }

    /** A created or replaced registry, and whether it was created. */
    public record Upsert(Registry registry, boolean created) {
    }

    public List<String> locations() {
        return rules.locations();
    }

    /** A registry answered by a create, and whether it was created earlier by a request with the same key. */
    public record Created(Registry registry, boolean replayed) {
    }

    /**
     * Creates a registry. With an Idempotency-Key, the first request with that key in the contract creates it and
     * a retry within the retention answers the same registry without creating anything; the key with another
     * request is refused (422). The key is recorded in the transaction that creates, so a create that fails
     * leaves no key behind, and a retry racing the first request waits for it. Provisioning starts after the commit.
     */
    public Uni<Created> create(RegistrySpec spec, Actor actor, Optional<String> idempotencyKey) {
        RegistrySettings settings = rules.forCreate(spec);
        return inTransaction(() -> create(settings, spec, actor, idempotencyKey))
                .invoke(created -> {
                    if (!created.replayed()) {
                        provisioning.kick();
                    }
                });
    }

    private Uni<Created> create(RegistrySettings settings, RegistrySpec spec, Actor actor,
            Optional<String> idempotencyKey) {
        UUID id = UUID.randomUUID();
        if (idempotencyKey.isEmpty()) {
            return insert(id, settings, actor).map(r -> new Created(r, false));
        }
        String key = idempotencyKey.get();
        String hash = fingerprint(spec);
        return idempotencyKeys.claim(actor.contract(), key, hash, id, config.idempotencyKeyRetention())
                .flatMap(use -> {
                    if (use.registryId().equals(id)) {
                        return insert(id, settings, actor).map(r -> new Created(r, false));
                    }
                    if (!use.requestHash().equals(hash)) {
                        return Uni.createFrom().failure(new ApiException(422, ErrorCode.IDEMPOTENCY_KEY_REUSED,
                                "Idempotency-Key " + FieldErrors.quote(key) + " was used for another request (with"
                                        + " another body) within " + ErrorText.duration(config.idempotencyKeyRetention())
                                        + "; use a new key for a new request"));
                    }
                    return repository.find(actor.contract(), use.registryId()).onItem().ifNull()
                            .failWith(() -> ApiException.notFound("Registry " + use.registryId()
                                    + ", created by the first request with Idempotency-Key " + FieldErrors.quote(key)
                                    + ", has been deleted since"))
                            .map(r -> new Created(r, true));
                });
    }

    /** Expires the Idempotency-Keys older than the retention; see {@link IdempotencyKeyExpiry}. */
    public Uni<Integer> expireIdempotencyKeys() {
        return inTransaction(() -> idempotencyKeys.deleteExpired(config.idempotencyKeyRetention()));
    }

    /**
     * Work in one transaction; a connection lost under it fails as the database's (503), not as a bare socket
     * exception (500).
     */
    private static <T> Uni<T> inTransaction(java.util.function.Supplier<Uni<T>> work) {
        return LostConnection.asClosed(Panache.withTransaction(work));
    }

    /** What makes two creates the same request: the parsed body (so key order and whitespace do not count). */
    private String fingerprint(RegistrySpec spec) {
        try {
            byte[] canonical = json.writeValueAsBytes(spec);
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(canonical));
        } catch (com.fasterxml.jackson.core.JsonProcessingException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("Cannot fingerprint a create request", e);
        }
    }

    /**
     * Creates the registry with this id, or replaces it; concurrent PUTs on one id take turns. Another contract's
     * registry is not found (404), and never taken over. Either way it is provisioned (again) after the commit.
     */
    public Uni<Upsert> put(UUID id, RegistrySpec spec, Actor actor, Preconditions.Condition ifMatch,
            Preconditions.Condition ifNoneMatch) {
        return inTransaction(() -> upsert(id, spec, actor, ifMatch, ifNoneMatch)).invoke(provisioning::kick);
    }

    private Uni<Upsert> upsert(UUID id, RegistrySpec spec, Actor actor, Preconditions.Condition ifMatch,
            Preconditions.Condition ifNoneMatch) {
        return repository.findForUpdate(id).flatMap(existing -> {
            if (existing != null && !existing.contract.equals(actor.contract())) {
                return Uni.createFrom().failure(notFound(id));
            }
            Preconditions.requireMatch(ifMatch, Optional.ofNullable(existing).map(RegistryService::tag),
                    "Registry " + id);
            Preconditions.requireNoneMatch(ifNoneMatch, Optional.ofNullable(existing).map(RegistryService::tag),
                    "Registry " + id);
            if (existing == null) {
                return insert(id, rules.forCreate(spec), actor).map(r -> new Upsert(r, true));
            }
            RegistrySettings settings = rules.forReplace(RegistrySettings.of(existing), spec);
            boolean scheduleChanged = settings.applyTo(existing);
            existing.state = Registry.State.BUSY;
            touch(existing, actor);
            return repository.flush().call(() -> scheduleChanged(existing, scheduleChanged))
                    .replaceWith(new Upsert(existing, false));
        });
    }

    public Uni<Registry> patch(UUID id, RegistrySpec.Patch patch, Actor actor, Preconditions.Condition ifMatch) {
        return inTransaction(() -> findForUpdate(id, actor, ifMatch)
                .flatMap(existing -> {
                    boolean scheduleChanged = rules.forPatch(RegistrySettings.of(existing), patch)
                            .applyTo(existing);
                    touch(existing, actor);
                    return repository.flush().call(() -> scheduleChanged(existing, scheduleChanged))
                            .replaceWith(existing);
                }));
    }

    /** A changed schedule takes effect at once, in this transaction: GC computes the next slot afresh. */
    private Uni<Void> scheduleChanged(Registry registry, boolean changed) {
        return changed ? gc.scheduleChanged(registry.id, GcSchedule.fromStored(registry.gcDays, registry.gcTime))
                : Uni.createFrom().voidItem();
    }

    public Uni<Registry> get(UUID id, Actor actor) {
        return requestRegistries.find(actor.contract(), id).onItem().ifNull().failWith(() -> notFound(id));
    }

    /**
     * The location of a registry of the contract, for permission checks; empty when there is none. The registry is
     * read once per request, for this and {@link #get}.
     */
    @Override
    public Uni<Optional<String>> locationOf(String contract, UUID id) {
        return requestRegistries.find(contract, id).map(r -> Optional.ofNullable(r).map(found -> found.location));
    }

    /**
     * Deletes the registry; its content rows go with it (by cascade), and its bytes are queued for the storage
     * reclaimer in the same transaction and removed in the background after the commit.
     */
    public Uni<Void> delete(UUID id, Actor actor, Preconditions.Condition ifMatch) {
        return inTransaction(() -> findForUpdate(id, actor, ifMatch).flatMap(repository::delete)
                .call(() -> reclaimer.registryDeleted(id)))
                .invoke(reclaimer::kick);
    }

    /**
     * The registry of the caller's contract, locked until the transaction ends, when If-Match holds for it: two
     * writers with the same ETag take turns on the lock, and the second then fails the condition (412).
     */
    private Uni<Registry> findForUpdate(UUID id, Actor actor, Preconditions.Condition ifMatch) {
        return repository.findForUpdate(id)
                .map(found -> found != null && found.contract.equals(actor.contract()) ? found : null)
                .onItem().ifNull().failWith(() -> notFound(id))
                .invoke(existing -> Preconditions.requireMatch(ifMatch, Optional.of(tag(existing)),
                        "Registry " + id));
    }

    /**
     * The registry's entity tag: changes with every change of its representation (the version counts the
     * registry's own changes, the storage measurement is GC's) and differs between a deleted registry and one
     * created again with its id (the creation time).
     */
    public static String tag(Registry registry) {
        long measured = registry.storageUpdatedAt == null ? 0
                : java.time.temporal.ChronoUnit.MICROS.between(Instant.EPOCH, registry.storageUpdatedAt);
        return Preconditions.tag(registry.createdDate.toEpochMilli(), registry.version, measured);
    }

    /**
     * One page of the caller's registries (of its contract, in the locations it manages) whose name contains
     * {@code filter}; {@code token} continues an earlier listing of the same query.
     *
     * <p>Not one session around it all: the tokens need a connection of their own (for their key), and a request
     * that held its session's connection while waiting for a second one could starve the pool under load. The
     * repository opens a session for the page query alone.
     */
    public Uni<Listing<Registry>> list(Optional<String> filter, int limit, Optional<String> token, Actor actor) {
        // a token is only valid for the listing it came from: same contract, locations and filter
        String query = "registries?contract=" + actor.contract() + "&locations="
                + actor.managedLocations().map(l -> String.join(",", l)).orElse("*") + "&filter.name="
                + filter.orElse("");
        return listings.page(query, token, limit, (cursor, fetch) -> reads.page(actor.contract(),
                actor.managedLocations(), filter, cursor, fetch), r -> r.name);
    }

    public Uni<Boolean> nameTaken(String name) {
        // the repository opens its own session (@WithSession)
        return LostConnection.asClosed(repository.nameExists(name));
    }

    private Uni<Registry> insert(UUID id, RegistrySettings settings, Actor actor) {
        Registry registry = new Registry();
        registry.id = id;
        registry.contract = actor.contract();
        settings.applyTo(registry);
        registry.state = Registry.State.BUSY;
        Instant now = now();
        registry.createdBy = actor.name();
        registry.createdByUserId = actor.userId();
        registry.createdDate = now;
        touch(registry, actor);
        registry.lastModifiedDate = now;
        return repository.persistAndFlush(registry)
                .call(created -> scheduleChanged(created, true))
                .onFailure(Constraints::isUniqueViolation)
                .transform(failure -> Constraints.violated(failure, "registry_name_key")
                        ? ApiException.conflict(ErrorCode.NAME_TAKEN, "properties.name: the name "
                                + FieldErrors.quote(settings.name())
                                + " is taken (registry names are global, as they become hostnames); choose another")
                        : ApiException.conflict(ErrorCode.CONFLICT,
                                "registry " + id + " was created by a concurrent request; read it and retry"));
    }

    private static void touch(Registry registry, Actor actor) {
        registry.lastModifiedBy = actor.name();
        registry.lastModifiedByUserId = actor.userId();
        registry.lastModifiedDate = now();
    }

    private static ApiException notFound(UUID id) {
        return ApiException.notFound("Registry " + id + " does not exist");
    }

    /** Millisecond precision: what the API shows is exactly what is stored. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
