package com.registryservice.token.service;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;

import com.registryservice.token.repository.TokenRepository;

import io.smallrye.mutiny.Uni;

/**
 * The data plane's bearer tokens (the Docker/OCI token flow): short-lived JWTs (HS256, jose4j) that carry exactly the
 * access granted when they were issued, so checking one costs no password hash and no database read. Their key is
 * the service's own secret in the database, shared by every instance.
 */
@ApplicationScoped
public class BearerTokens {

    /**
     * How long a bearer token is good for. One issued to a registry token is checked against that token on every
     * use: deleting, disabling, narrowing or expiring the token takes effect at once.
     */
    public static final Duration LIFETIME = Duration.ofMinutes(5);
    static final String ISSUER = "registry-service";

    private final TokenRepository repository;
    private volatile HmacKey key;

    public BearerTokens(TokenRepository repository) {
        this.repository = repository;
    }

    /** Access to one repository of one registry: {@code name} is as the client asked ({@code <registry>/<repo>} in path mode). */
    public record Grant(UUID registry, String repository, String name, List<String> actions) {
    }

    /** A signed token for {@code subject} carrying {@code grants}, good for {@link #LIFETIME}. */
    public Uni<String> issue(String subject, String audience, List<Grant> grants) {
        return key().map(k -> {
            JwtClaims claims = new JwtClaims();
            claims.setIssuer(ISSUER);
            claims.setSubject(subject);
            claims.setAudience(audience);
            claims.setIssuedAtToNow();
            claims.setNotBeforeMinutesInThePast(1);
            claims.setExpirationTimeMinutesInTheFuture(LIFETIME.toMinutes());
            claims.setGeneratedJwtId();
            claims.setClaim("access", grants.stream().map(g -> Map.of("type", "repository", "name", g.name(),
                    "registry", g.registry().toString(), "repository", g.repository(), "actions", g.actions()))
                    .toList());
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
            jws.setKey(k);
            try {
                return jws.getCompactSerialization();
            } catch (JoseException e) {
                throw new IllegalStateException("Cannot sign a bearer token", e);
            }
        });
    }

    /** A verified bearer token: whom it was issued to and what it grants. */
    public record Verified(String subject, List<Grant> grants) {

        /** The registry token it was issued to, and that token's registry; empty when it was issued to a user. */
        public Optional<Grant> issuedToToken() {
            return subject.startsWith(TOKEN_SUBJECT) && !grants.isEmpty() ? Optional.of(grants.get(0)) : Optional.empty();
        }

        /** The id of the registry token it was issued to. */
        public UUID tokenId() {
            return UUID.fromString(subject.substring(TOKEN_SUBJECT.length()));
        }
    }

    /** The subject of a bearer token issued to a registry token: this and the token's id. */
    public static final String TOKEN_SUBJECT = "token:";

    /** The subject and grants of a token this service issued that has not expired; empty for anything else. */
    @SuppressWarnings("unchecked")
    public Uni<Optional<Verified>> verify(String token, String audience) {
        return key().map(k -> {
            JwtConsumer consumer = new JwtConsumerBuilder().setRequireExpirationTime().setAllowedClockSkewInSeconds(30)
                    .setExpectedIssuer(ISSUER).setExpectedAudience(audience).setVerificationKey(k)
                    .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                            AlgorithmIdentifiers.HMAC_SHA256)
                    .build();
            try {
                JwtClaims claims = consumer.processToClaims(token);
                List<Grant> grants = new ArrayList<>();
                for (Object entry : claims.getClaimValue("access", List.class)) {
                    Map<String, Object> access = (Map<String, Object>) entry;
                    grants.add(new Grant(UUID.fromString((String) access.get("registry")),
                            (String) access.get("repository"), (String) access.get("name"),
                            List.copyOf((List<String>) access.get("actions"))));
                }
                String subject = claims.getSubject();
                if (subject == null || subject.startsWith(TOKEN_SUBJECT)
                        && !subject.substring(TOKEN_SUBJECT.length()).matches("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}")) {
                    return Optional.<Verified>empty(); // not one this service issues
                }
                return Optional.of(new Verified(subject, List.copyOf(grants)));
            } catch (InvalidJwtException | org.jose4j.jwt.MalformedClaimException | RuntimeException e) {
                return Optional.empty();
            }
        });
    }

    private Uni<HmacKey> key() {
        HmacKey known = key;
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        return repository.bearerKey().map(secret -> {
            HmacKey loaded = new HmacKey(secret.getBytes(StandardCharsets.UTF_8));
            key = loaded;
            return loaded;
        });
    }
}
