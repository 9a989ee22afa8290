package com.registryservice.content.service;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.registryservice.api.ApiException;
import com.registryservice.content.repository.ContentRepository;
import com.registryservice.security.Actor;
import com.registryservice.security.RegistryLocations;

import io.smallrye.mutiny.Uni;

/** The content of registries as the API shows it; scoped to the caller's contract like the registries. */
@ApplicationScoped
public class ContentService {

    private final ContentRepository content;

    private final RegistryLocations registries;

    public ContentService(ContentRepository content, RegistryLocations registries) {
        this.content = content;
        this.registries = registries;
    }

    /** A repository with its counts. */
    public record Repository(String name, Instant createdDate, long manifestCount, long tagCount, Instant lastPushedAt,
            long pullCount, long pushCount, Instant lastPulledAt) {
        static Repository of(ContentRepository.RepositorySummary s) {
            return new Repository(s.name(), s.createdDate(), s.manifestCount(), s.tagCount(), s.lastPushedAt(),
                    s.pullCount(), s.pushCount(), s.lastPulledAt());
        }
    }

    /** A page of repositories and how many there are. */
    public record RepositoryPage(List<Repository> items, long total) {
    }

    public Uni<RepositoryPage> list(UUID registry, int offset, int limit, Actor actor) {
        return requireRegistry(registry, actor)
                .flatMap(ok -> content.list(registry, offset, limit))
                .flatMap(items -> content.count(registry)
                        .map(total -> new RepositoryPage(items.stream().map(Repository::of).toList(), total)));
    }

    public Uni<Repository> get(UUID registry, String name, Actor actor) {
        return requireRegistry(registry, actor)
                .flatMap(ok -> content.find(registry, name))
                .onItem().ifNull().failWith(() -> notFound(registry, name))
                .map(Repository::of);
    }

    public Uni<Void> delete(UUID registry, String name, Actor actor) {
        return requireRegistry(registry, actor)
                .flatMap(ok -> content.delete(registry, name))
                .flatMap(deleted -> deleted ? Uni.createFrom().voidItem()
                        : Uni.createFrom().failure(notFound(registry, name)));
    }

    private Uni<Void> requireRegistry(UUID registry, Actor actor) {
        return registries.requireRegistry(actor.contract(), registry);
    }

    private static ApiException notFound(UUID registry, String name) {
        return ApiException.notFound("Repository '" + name + "' of registry " + registry + " does not exist");
    }
}
