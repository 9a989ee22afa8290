package com.registryservice.token.rest;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.registryservice.api.ApiException;
import com.registryservice.api.ErrorCode;
import com.registryservice.api.Links;
import com.registryservice.api.OffsetWindow;
import com.registryservice.api.Params;
import com.registryservice.security.Actor;
import com.registryservice.security.RegistryPermissionCheckers;
import com.registryservice.token.Scope;
import com.registryservice.token.Token;
import com.registryservice.token.service.TokenService;
import com.registryservice.token.service.TokenService.Issued;
import com.registryservice.token.service.TokenService.TokenPatch;
import com.registryservice.token.service.TokenService.TokenSpec;

import io.quarkus.security.PermissionsAllowed;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * A registry's tokens, as the IONOS API has them: credentials for machines with scopes and an expiry. The password
 * is in the answer to the create only.
 */
@Path("/registries/{registryId}/tokens")
@Tag(name = "Tokens")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@PermissionsAllowed(RegistryPermissionCheckers.MANAGE)
public class TokenResource {

    private final TokenService tokens;
    private final SecurityIdentity identity;
    private final UriInfo uri;

    public TokenResource(TokenService tokens, SecurityIdentity identity, UriInfo uri) {
        this.tokens = tokens;
        this.identity = identity;
        this.uri = uri;
    }

    @Schema(name = "PostTokenProperties")
    public record TokenProperties(String name, Instant expiryDate, List<Scope> scopes, String status) {
    }

    @Schema(name = "PostTokenInput")
    public record TokenRequest(TokenProperties properties) {
    }

    @Schema(name = "PatchTokenInput")
    @com.registryservice.api.StrictFields
    public record TokenPatchRequest(Instant expiryDate, List<Scope> scopes, String status) {
    }

    @Schema(name = "Credentials")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Credentials(String username, String password) {
    }

    @Schema(name = "TokenProperties")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TokenView(String name, Instant expiryDate, List<Scope> scopes, String status,
            Credentials credentials) {
    }

    @Schema(name = "TokenMetadata")
    public record Metadata(String createdBy, String createdByUserId, Instant createdDate, String lastModifiedBy,
            String lastModifiedByUserId, Instant lastModifiedDate,
            @Schema(description = "Always RUNNING: a token is usable once created; its status says whether it works",
                    enumeration = { "RUNNING" }) String state) {
    }

    @Schema(name = "TokenResponse")
    public record TokenResponse(String id, String type, String href, Metadata metadata, TokenView properties) {
    }

    @Schema(name = "TokensResponse")
    public record TokensResponse(String id, String type, String href, List<TokenResponse> items, int offset, int limit,
            long total, int count, @JsonProperty("_links") Links links) {
    }

    @GET
    @Operation(operationId = "registriesTokensGet", summary = "List the tokens of a registry")
    public Uni<TokensResponse> list(@RestPath String registryId) {
        OffsetWindow window = OffsetWindow.of(uri);
        URI collection = collection(registryId);
        return tokens.list(Params.uuid("registryId", registryId), window.offset(), window.limit(), Actor.of(identity))
                .map(page -> {
                    List<TokenResponse> items = page.items().stream().map(t -> view(t, Optional.empty())).toList();
                    return new TokensResponse("tokens", "collection", collection.toString(), items, window.offset(),
                            window.limit(), page.total(), items.size(),
                            window.links(collection, uri.getRequestUri(), page.total()));
                });
    }

    @POST
    @Operation(operationId = "registriesTokensPost", summary = "Create a token",
            description = "The answer carries the password; it is never shown again.")
    public Uni<Response> create(@RestPath String registryId, TokenRequest body) {
        return tokens.create(Params.uuid("registryId", registryId), spec(body), Actor.of(identity))
                .map(issued -> answer(issued));
    }

    @GET
    @Path("/{tokenId}")
    @Operation(operationId = "registriesTokensFindById", summary = "Get a token (without its password)")
    public Uni<TokenResponse> get(@RestPath String registryId, @RestPath String tokenId) {
        return tokens.get(Params.uuid("registryId", registryId), Params.uuid("tokenId", tokenId), Actor.of(identity))
                .map(t -> view(t, Optional.empty()));
    }

    @PUT
    @Path("/{tokenId}")
    @Operation(operationId = "registriesTokensPut", summary = "Create a token with this id, or replace it",
            description = "A replace changes expiry, status and scopes; the name and the password stay.")
    public Uni<Response> put(@RestPath String registryId, @RestPath String tokenId, TokenRequest body) {
        return tokens.put(Params.uuid("registryId", registryId), Params.uuid("tokenId", tokenId), spec(body),
                Actor.of(identity)).map(this::answer);
    }

    @PATCH
    @Path("/{tokenId}")
    @Operation(operationId = "registriesTokensPatch", summary = "Change a token's expiry, scopes or status")
    public Uni<TokenResponse> patch(@RestPath String registryId, @RestPath String tokenId, TokenPatchRequest body) {
        if (body == null) {
            throw ApiException.badRequest(ErrorCode.INVALID_FIELD, "body: give at least one of expiryDate, scopes and"
                    + " status");
        }
        return tokens.patch(Params.uuid("registryId", registryId), Params.uuid("tokenId", tokenId),
                new TokenPatch(Optional.ofNullable(millis(body.expiryDate())), Optional.ofNullable(body.scopes()),
                        Optional.ofNullable(body.status())), Actor.of(identity))
                .map(t -> view(t, Optional.empty()));
    }

    @DELETE
    @Path("/{tokenId}")
    @Operation(operationId = "registriesTokensDelete", summary = "Delete a token; it stops working at once")
    public Uni<Response> delete(@RestPath String registryId, @RestPath String tokenId) {
        return tokens.delete(Params.uuid("registryId", registryId), Params.uuid("tokenId", tokenId), Actor.of(identity))
                .map(v -> Response.noContent().build());
    }

    private static TokenSpec spec(TokenRequest body) {
        if (body == null || body.properties() == null) {
            throw ApiException.badRequest(ErrorCode.INVALID_FIELD, "properties: required, with at least a name");
        }
        TokenProperties p = body.properties();
        return new TokenSpec(p.name(), millis(p.expiryDate()), p.scopes(), p.status());
    }

    /** Timestamps have millisecond precision, as everywhere in the API. */
    private static Instant millis(Instant instant) {
        return instant == null ? null : instant.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    private Response answer(Issued issued) {
        TokenResponse view = view(issued.token(), issued.password());
        return issued.created() ? Response.created(URI.create(view.href())).entity(view).build()
                : Response.ok(view).build();
    }

    private URI collection(String registryId) {
        // a UUID (checked first: the builder takes '{' for a template)
        return uri.getBaseUriBuilder().path("registries").path(Params.uuid("registryId", registryId).toString())
                .path("tokens").build();
    }

    private TokenResponse view(Token t, Optional<String> password) {
        Token.Audit a = t.audit();
        String href = collection(t.registryId().toString()) + "/" + t.id();
        return new TokenResponse(t.id().toString(), "token", href,
                new Metadata(a.createdBy(), a.createdByUserId(), a.createdDate(), a.lastModifiedBy(),
                        a.lastModifiedByUserId(), a.lastModifiedDate(), "RUNNING"),
                new TokenView(t.name(), t.expiryDate(), t.scopes(), t.status(),
                        new Credentials(t.username(), password.orElse(""))));
    }

}
