package com.registryservice.token.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.registryservice.token.Token;
import com.registryservice.token.repository.TokenRepository;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Checks a token's Basic credentials on the data plane. The token's row (status, expiry, scopes) is read on every
 * request, so a disabled, expired or deleted token stops at once; only the slow password hash is skipped for a
 * password verified in the last {@link #VERIFIED_FOR} (a bounded cache keyed by the token, its stored hash and a
 * SHA-256 of the password).
 */
@ApplicationScoped
public class TokenAuthenticator {

    static final Duration VERIFIED_FOR = Duration.ofMinutes(5);

    private final TokenRepository repository;
    private final Cache<String, Boolean> verified = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(VERIFIED_FOR).build();

    public TokenAuthenticator(TokenRepository repository) {
        this.repository = repository;
    }

    /**
     * The token of {@code registryName} with these credentials; empty when none matches. Without a registry (the
     * base endpoint in path mode), any registry's token with the user name.
     */
    public Uni<Optional<Token>> authenticate(Optional<String> registryName, String username, String password) {
        Uni<List<Token>> candidates = registryName.isPresent()
                ? repository.findByUsername(registryName.get(), username).map(t -> t == null ? List.of() : List.of(t))
                : repository.findByUsername(username);
        return candidates.flatMap(tokens -> tokens.isEmpty()
                // as slow as a wrong password for a token that exists: no token name is told by a refusal's time
                ? TokenPasswords.matches(password, TokenPasswords.DECOY).replaceWith(Optional.<Token>empty())
                : Multi.createFrom().iterable(tokens)
                .onItem().transformToUniAndConcatenate(token -> matches(token, password)
                        .map(ok -> ok ? Optional.of(token) : Optional.<Token>empty()))
                .filter(Optional::isPresent).collect().first()
                .map(found -> found == null ? Optional.<Token>empty() : found));
    }

    /** The token as it is now (it may have been disabled, narrowed or deleted since it was last used). */
    public Uni<Optional<Token>> current(UUID registry, UUID id) {
        return repository.find(registry, id).map(Optional::ofNullable);
    }

    private Uni<Boolean> matches(Token token, String password) {
        String key = token.id() + "|" + token.passwordHash() + "|" + sha256(password);
        if (verified.getIfPresent(key) != null) {
            return Uni.createFrom().item(true);
        }
        return TokenPasswords.matches(password, token.passwordHash()).invoke(ok -> {
            if (ok) {
                verified.put(key, true);
            }
        });
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
