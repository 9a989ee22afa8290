package com.registryservice.token.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import com.registryservice.api.ApiException;
import com.registryservice.api.ErrorCode;
import com.registryservice.api.FieldErrors;
import com.registryservice.security.Actor;
import com.registryservice.security.RegistryLocations;
import com.registryservice.token.Scope;
import com.registryservice.token.Token;
import com.registryservice.token.repository.TokenRepository;

import io.smallrye.mutiny.Uni;

/**
 * Tokens of a registry: the rules of their fields, a password generated here and shown once, and tenant isolation
 * (a registry of another contract answers as one that does not exist).
 */
@ApplicationScoped
public class TokenService {

    private static final Pattern NAME = Pattern.compile("^[A-Za-z][-A-Za-z0-9]{0,61}[A-Za-z0-9]$");
    private static final Pattern SCOPE_NAME = Pattern.compile("^[a-z0-9*]([a-z0-9._/*-]{0,253}[a-z0-9*])?$");
    private static final List<String> STATUSES = List.of("enabled", "disabled");

    private final TokenRepository repository;
    private final RegistryLocations registries;

    public TokenService(TokenRepository repository, RegistryLocations registries) {
        this.repository = repository;
        this.registries = registries;
    }

    /** What a create or replace asks for; {@code null} fields are absent. */
    public record TokenSpec(String name, Instant expiryDate, List<Scope> scopes, String status) {
    }

    /** What an update asks for; absent fields stay as they are. */
    public record TokenPatch(Optional<Instant> expiryDate, Optional<List<Scope>> scopes,
            Optional<String> status) {
    }

    /** A token as answered, with its password when it was just created (the only time it is shown). */
    public record Issued(Token token, Optional<String> password, boolean created) {
    }

    /** A page of tokens and how many there are. */
    public record TokenPage(List<Token> items, long total) {
    }

    public Uni<Issued> create(UUID registry, TokenSpec spec, Actor actor) {
        return create(registry, UUID.randomUUID(), spec, actor);
    }

    private Uni<Issued> create(UUID registry, UUID id, TokenSpec spec, Actor actor) {
        List<Scope> scopes = check(spec, true);
        String password = TokenPasswords.generate();
        return requireRegistry(registry, actor)
                .flatMap(ok -> TokenPasswords.hash(password))
                .flatMap(hash -> {
                    Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
                    Token token = new Token(id, registry, spec.name(), spec.name(), hash, spec.expiryDate(),
                            spec.status() == null ? "enabled" : spec.status(), scopes,
                            new Token.Audit(actor.name(), actor.userId(), now, actor.name(), actor.userId(), now));
                    return repository.insert(token).flatMap(inserted -> inserted
                            ? Uni.createFrom().item(new Issued(token, Optional.of(password), true))
                            : repository.nameTaken(registry, token.name(), token.username()).map(nameTaken -> {
                                throw nameTaken ? ApiException.conflict(ErrorCode.CONFLICT, "properties.name: registry "
                                        + registry + " has a token named " + FieldErrors.quote(spec.name())
                                        + " already; token names are unique per registry")
                                        // ids are unique across registries: only a PUT names one
                                        : ApiException.conflict(ErrorCode.CONFLICT, "the token id " + id + " is taken;"
                                                + " PUT to another id, or POST to have one chosen");
                            }));
                });
    }

    /** Creates the token with this id, or replaces its expiry, status and scopes (its name stays). */
    public Uni<Issued> put(UUID registry, UUID id, TokenSpec spec, Actor actor) {
        // the name's rule is checked on a create: a replace keeps the name, which an older rule may have allowed
        List<Scope> scopes = check(spec, spec.name() == null);
        return requireRegistry(registry, actor).flatMap(ok -> repository.find(registry, id)).flatMap(existing -> {
            if (existing == null) {
                return create(registry, id, spec, actor);
            }
            if (!existing.name().equals(spec.name())) {
                throw ApiException.badRequest(ErrorCode.FIELD_NOT_CHANGEABLE, "properties.name: a token's name cannot change"
                        + " (it is " + FieldErrors.quote(existing.name()) + "); create another token instead");
            }
            Token replaced = changed(existing, spec.expiryDate(), scopes,
                    spec.status() == null ? "enabled" : spec.status(), actor);
            return repository.update(replaced).map(v -> new Issued(replaced, Optional.empty(), false));
        });
    }

    public Uni<Token> patch(UUID registry, UUID id, TokenPatch patch, Actor actor) {
        FieldErrors errors = new FieldErrors();
        patch.status().ifPresent(s -> checkStatus(s, "status", errors));
        patch.scopes().ifPresent(s -> checkScopes(s, "scopes", errors));
        patch.expiryDate().ifPresent(e -> checkExpiry(e, "expiryDate", errors));
        errors.throwIfAny();
        return get(registry, id, actor).flatMap(existing -> {
            Token patched = changed(existing,
                    patch.expiryDate().orElse(existing.expiryDate()),
                    patch.scopes().map(TokenService::normalized).orElse(existing.scopes()),
                    patch.status().orElse(existing.status()), actor);
            return repository.update(patched).replaceWith(patched);
        });
    }

    public Uni<Token> get(UUID registry, UUID id, Actor actor) {
        return requireRegistry(registry, actor).flatMap(ok -> repository.find(registry, id))
                .onItem().ifNull().failWith(() -> notFound(registry, id));
    }

    public Uni<TokenPage> list(UUID registry, int offset, int limit, Actor actor) {
        return requireRegistry(registry, actor).flatMap(ok -> repository.list(registry, offset, limit))
                .flatMap(items -> repository.count(registry).map(total -> new TokenPage(items, total)));
    }

    public Uni<Void> delete(UUID registry, UUID id, Actor actor) {
        return requireRegistry(registry, actor).flatMap(ok -> repository.delete(registry, id))
                .invoke(deleted -> {
                    if (!deleted) {
                        throw notFound(registry, id);
                    }
                }).replaceWithVoid();
    }

    private static Token changed(Token t, Instant expiry, List<Scope> scopes, String status, Actor actor) {
        return new Token(t.id(), t.registryId(), t.name(), t.username(), t.passwordHash(), expiry, status, scopes,
                new Token.Audit(t.audit().createdBy(), t.audit().createdByUserId(), t.audit().createdDate(),
                        actor.name(), actor.userId(), Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS)));
    }

    /** Checks a create or replace; answers its scopes in stored form. */
    private static List<Scope> check(TokenSpec spec, boolean withName) {
        FieldErrors errors = new FieldErrors();
        if (withName && (spec.name() == null || !NAME.matcher(spec.name()).matches())) {
            errors.invalid("properties.name", (spec.name() == null ? "is required" : FieldErrors.quote(spec.name())
                    + " is not a token name") + ": 2 to 63 letters, digits and '-', starting with a letter and"
                    + " ending with a letter or digit");
        }
        if (spec.status() != null) {
            checkStatus(spec.status(), "properties.status", errors);
        }
        if (spec.expiryDate() != null) {
            checkExpiry(spec.expiryDate(), "properties.expiryDate", errors);
        }
        List<Scope> scopes = spec.scopes() == null ? List.of() : spec.scopes();
        checkScopes(scopes, "properties.scopes", errors);
        errors.throwIfAny();
        return normalized(scopes);
    }

    private static void checkStatus(String status, String field, FieldErrors errors) {
        if (!STATUSES.contains(status)) {
            errors.add(ErrorCode.INVALID_REQUEST_BODY, field, FieldErrors.quote(status)
                    + " is not a status: 'enabled' or 'disabled'");
        }
    }

    private static final Instant LAST_EXPIRY = Instant.parse("9999-12-31T23:59:59Z");

    private static void checkExpiry(Instant expiry, String field, FieldErrors errors) {
        if (!expiry.isAfter(Instant.now())) {
            errors.invalid(field, expiry + " is in the past; give a future time (RFC 3339), or none for no expiry");
        } else if (!expiry.isBefore(LAST_EXPIRY)) {
            errors.invalid(field, "must be before the year 10000 (RFC 3339 has four-digit years), or none for no"
                    + " expiry");
        }
    }

    /** Scopes one token may have: each data-plane request of the token is checked against all of them. */
    public static final int MAX_SCOPES = 100;

    private static void checkScopes(List<Scope> scopes, String field, FieldErrors errors) {
        if (scopes.size() > MAX_SCOPES) {
            errors.invalid(field, "has " + scopes.size() + " scopes; at most " + MAX_SCOPES + " are allowed (use"
                    + " patterns such as 'team/*')");
            return;
        }
        for (int i = 0; i < scopes.size(); i++) {
            Scope s = scopes.get(i);
            String at = field + "[" + i + "]";
            if (s == null) {
                errors.invalid(at, "must be a scope {name, type, actions}, not null");
                continue;
            }
            if (s.name() == null || !SCOPE_NAME.matcher(s.name()).matches()) {
                errors.invalid(at + ".name", FieldErrors.quote(s.name()) + " is not a repository name or pattern:"
                        + " lower-case letters, digits, '.', '_', '-', '/' and '*' (any run of characters)");
            }
            if (!Scope.REPOSITORY.equals(s.type())) {
                // unknown values of the API's enums are INVALID_REQUEST_BODY, as for the registries' days
                errors.add(s.type() == null ? ErrorCode.INVALID_FIELD : ErrorCode.INVALID_REQUEST_BODY, at + ".type",
                        FieldErrors.quote(s.type()) + " is not a scope type: 'repository'");
            }
            if (s.actions() == null || s.actions().isEmpty() || s.actions().size() > Scope.ACTIONS.size() * 2
                    || !Scope.ACTIONS.containsAll(s.actions().stream().map(a -> a == null ? "" : a).toList())) {
                boolean unknown = s.actions() != null && !s.actions().isEmpty()
                        && s.actions().size() <= Scope.ACTIONS.size() * 2 && !s.actions().contains(null);
                errors.add(unknown ? ErrorCode.INVALID_REQUEST_BODY : ErrorCode.INVALID_FIELD, at + ".actions",
                        FieldErrors.quote(s.actions()) + " must be one or more of 'pull', 'push' and 'delete'");
            }
        }
    }

    private static List<Scope> normalized(List<Scope> scopes) {
        List<Scope> result = new ArrayList<>();
        scopes.forEach(s -> result.add(new Scope(s.name(), s.type().toLowerCase(Locale.ROOT),
                s.actions().stream().distinct().toList())));
        return List.copyOf(result);
    }

    private Uni<Void> requireRegistry(UUID registry, Actor actor) {
        return registries.requireRegistry(actor.contract(), registry);
    }

    private static ApiException notFound(UUID registry, UUID id) {
        return ApiException.notFound("Token " + id + " of registry " + registry + " does not exist");
    }
}
