package com.registryservice.content.service;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.registryservice.api.ApiException;
import com.registryservice.api.ErrorCode;
import com.registryservice.api.FieldErrors;
import com.registryservice.content.repository.ContentRepository;
import com.registryservice.content.repository.ContentRepository.ArtifactOrder;
import com.registryservice.content.ArtifactSummary;
import com.registryservice.content.repository.ContentRepository.RepositoryOrder;
import com.registryservice.content.RepositorySummary;
import com.registryservice.security.Actor;
import com.registryservice.security.RegistryLocations;

import io.smallrye.mutiny.Uni;

/**
 * The repositories and artifacts of a registry as the IONOS API shows them: listings with their filter and orders,
 * one repository or artifact, and the delete of a repository. Tenant isolation as for registries.
 */
@ApplicationScoped
public class ContentService {

    private static final Map<String, RepositoryOrder> REPOSITORY_ORDERS = Map.of("name", RepositoryOrder.NAME,
            "lastPush", RepositoryOrder.LAST_PUSH, "lastPull", RepositoryOrder.LAST_PULL,
            "artifactCount", RepositoryOrder.ARTIFACT_COUNT, "pullCount", RepositoryOrder.PULL_COUNT,
            "pushCount", RepositoryOrder.PUSH_COUNT);
    private static final Map<String, ArtifactOrder> ARTIFACT_ORDERS = Map.of("pullCount", ArtifactOrder.PULL_COUNT,
            "pushCount", ArtifactOrder.PUSH_COUNT, "lastPush", ArtifactOrder.LAST_PUSH,
            "lastPull", ArtifactOrder.LAST_PULL);
    /** The IONOS orders that need a vulnerability scanner, which this service does not have (yet). */
    private static final List<String> SCANNER_ORDERS = List.of("lastScan", "vulnTotalCount", "vulnFixableCount");

    private final ContentRepository content;
    private final RegistryLocations registries;

    public ContentService(ContentRepository content, RegistryLocations registries) {
        this.content = content;
        this.registries = registries;
    }

    /** A page of items and how many there are in all. */
    public record Page<T>(List<T> items, long total) {
    }

    /**
     * One page of repositories whose names contain {@code nameContains}, in {@code orderBy} (default -lastPush);
     * {@code scannerFilters} are the filters sent that need a scanner (IONOS's filter.vulnerabilitySeverity), refused.
     */
    public Uni<Page<RepositorySummary>> list(UUID registry, Optional<String> nameContains,
            Map<String, String> scannerFilters, Optional<String> orderBy, int offset, int limit, Actor actor) {
        refuseScannerFilters(scannerFilters);
        String order = orderBy.orElse("-lastPush");
        RepositoryOrder column = parse(order, REPOSITORY_ORDERS, List.of());
        return requireRegistry(registry, actor)
                .flatMap(ok -> content.list(registry, nameContains, column, order.startsWith("-"), offset, limit))
                .flatMap(items -> content.count(registry, nameContains).map(total -> new Page<>(items, total)));
    }

    public Uni<RepositorySummary> get(UUID registry, String name, Actor actor) {
        return requireRegistry(registry, actor)
                .flatMap(ok -> content.find(registry, name))
                .onItem().ifNull().failWith(() -> notFound(registry, name));
    }

    public Uni<Void> delete(UUID registry, String name, Actor actor) {
        return requireRegistry(registry, actor)
                .flatMap(ok -> content.delete(registry, name))
                .flatMap(deleted -> deleted ? Uni.createFrom().voidItem()
                        : Uni.createFrom().failure(notFound(registry, name)));
    }

    /**
     * One page of the artifacts of the registry, or of one of its repositories, in {@code orderBy} (default
     * -pullCount for the registry, -lastPush for a repository); {@code scannerFilters} as for {@link #list}
     * (filter.severity, filter.vulnerabilityId).
     */
    public Uni<Page<ArtifactSummary>> artifacts(UUID registry, Optional<String> repository,
            Map<String, String> scannerFilters, Optional<String> orderBy, int offset, int limit, Actor actor) {
        refuseScannerFilters(scannerFilters);
        String order = orderBy.orElse(repository.isPresent() ? "-lastPush" : "-pullCount");
        ArtifactOrder column = parse(order, ARTIFACT_ORDERS, SCANNER_ORDERS);
        Uni<Void> exists = repository.isEmpty() ? requireRegistry(registry, actor)
                : get(registry, repository.get(), actor).replaceWithVoid();
        return exists.flatMap(ok -> content.artifacts(registry, repository, column, order.startsWith("-"), offset, limit))
                .flatMap(items -> content.countArtifacts(registry, repository).map(total -> new Page<>(items, total)));
    }

    public Uni<ArtifactSummary> artifact(UUID registry, String repository, String digest, Actor actor) {
        return get(registry, repository, actor).flatMap(ok -> content.artifact(registry, repository, digest))
                .onItem().ifNull().failWith(() -> ApiException.notFound("Artifact " + digest + " of repository '"
                        + repository + "' of registry " + registry + " does not exist"));
    }

    /** The vulnerabilities of an artifact: there is no scanner, so a clear 404 rather than an empty success. */
    public Uni<Void> vulnerabilities(UUID registry, String repository, String digest, Actor actor) {
        return artifact(registry, repository, digest, actor).invoke(found -> {
            throw ApiException.notFound("Vulnerabilities of artifact " + digest + " are not available: this service"
                    + " has no vulnerability scanner (vulnerability fields are absent everywhere)");
        }).replaceWithVoid();
    }

    private static <T> T parse(String orderBy, Map<String, T> orders, List<String> needScanner) {
        String key = orderBy.startsWith("-") ? orderBy.substring(1) : orderBy;
        T column = orders.get(key);
        if (column == null) {
            throw ApiException.badRequest(ErrorCode.INVALID_PARAMETER, "orderBy: " + FieldErrors.quote(orderBy)
                    + (needScanner.contains(key) ? " needs a vulnerability scanner, which this service does not have;"
                            : " is not an order;")
                    + " use one of " + String.join(", ", orders.keySet().stream().sorted().toList())
                    + ", each with '-' for descending");
        }
        return column;
    }

    /**
     * A filter on vulnerabilities cannot be answered without a scanner: listing everything would claim that every item
     * matches, an empty list that none does, so the client hears why instead (as for the scanner's orders).
     */
    private static void refuseScannerFilters(Map<String, String> filters) {
        filters.entrySet().stream().sorted(Map.Entry.comparingByKey()).findFirst().ifPresent(filter -> {
            throw ApiException.badRequest(ErrorCode.INVALID_PARAMETER, filter.getKey() + ": " + FieldErrors.quote(
                    filter.getValue()) + " cannot be answered: this service has no vulnerability scanner, so no"
                    + " artifact has known vulnerabilities; leave the filter out");
        });
    }

    private Uni<Void> requireRegistry(UUID registry, Actor actor) {
        return registries.requireRegistry(actor.contract(), registry);
    }

    private static ApiException notFound(UUID registry, String name) {
        return ApiException.notFound("Repository '" + name + "' of registry " + registry + " does not exist");
    }

}
