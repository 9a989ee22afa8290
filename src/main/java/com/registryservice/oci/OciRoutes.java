package com.registryservice.oci;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.registryservice.api.HttpEdge;
import com.registryservice.content.ContentError;
import com.registryservice.content.ContentError.Code;
import com.registryservice.content.Digest;
import com.registryservice.content.repository.DistributionRepository.RegistryRef;
import com.registryservice.content.service.Distribution;
import com.registryservice.registry.RegistryConfig;
import com.registryservice.registry.service.SubnetAllowList;
import com.registryservice.security.Actor;
import com.registryservice.security.BasicCredentials;
import com.registryservice.security.LoginThrottle;
import com.registryservice.security.Permissions;
import com.registryservice.token.Token;
import com.registryservice.token.service.BearerTokens;
import com.registryservice.token.service.TokenAuthenticator;

import io.quarkus.security.credential.PasswordCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The OCI Distribution API of every registry, on Vert.x routes rather than JAX-RS so that request and response
 * bodies stream with back-pressure and are never buffered whole. At a registry's hostname
 * ({@code <name>.<registry.hostname-domain>}) the paths are {@code /v2/<repository>/…}; on any other host
 * {@code /v2/<registry-name>/<repository>/…}. Thin: it parses, authenticates and authorises, and leaves the rules to
 * {@link Distribution}; every failure is answered in the OCI error body by {@link OciErrors}.
 */
@ApplicationScoped
public class OciRoutes {

    private static final Pattern UPLOADS = Pattern.compile("^(.+)/blobs/uploads/?$");
    private static final Pattern UPLOAD = Pattern.compile("^(.+)/blobs/uploads/([^/]+)$");
    private static final Pattern BLOB = Pattern.compile("^(.+)/blobs/([^/]+)$");
    private static final Pattern MANIFEST = Pattern.compile("^(.+)/manifests/([^/]+)$");
    private static final Pattern TAGS = Pattern.compile("^(.+)/tags/list$");
    private static final Pattern REFERRERS = Pattern.compile("^(.+)/referrers/([^/]+)$");
    /** The API's own words right where a repository should be. */
    private static final Pattern NO_REPOSITORY = Pattern.compile("^(blobs|manifests|tags|referrers)(/.*)?$");
    private static final Pattern RANGE = Pattern.compile("^(?:bytes[= ])?(\\d+)-(\\d+)(?:/\\d+|/\\*)?$");
    private static final Pattern BYTE_RANGE = Pattern.compile("^bytes=(\\d*)-(\\d*)$");

    private final Distribution distribution;
    private final IdentityProviderManager identities;
    private final TokenAuthenticator tokens;
    private final BearerTokens bearer;
    private final LoginThrottle throttle;
    /** The {@code service} of the token flow, and the audience of the bearer tokens. */
    static final String SERVICE = "registry-service";
    private final String hostSuffix;
    private final ClientAddress clients;
    /** Uploads streaming on this instance right now, one each. */
    private final Shares uploads;
    /** Bytes of manifest bodies being received, each counted at its Content-Length (else at the largest allowed). */
    private final Shares manifestBytes;

    public OciRoutes(Distribution distribution, IdentityProviderManager identities, RegistryConfig config,
            OciConfig oci, TokenAuthenticator tokens, BearerTokens bearer, LoginThrottle throttle) {
        this.distribution = distribution;
        this.throttle = throttle;
        this.tokens = tokens;
        this.bearer = bearer;
        this.identities = identities;
        this.hostSuffix = "." + config.hostnameDomain().toLowerCase(Locale.ROOT);
        this.uploads = new Shares("registry.oci.max-concurrent-uploads", oci.maxConcurrentUploads(),
                oci.maxConcurrentUploadsPerRegistry(), 1);
        // a push without a Content-Length reserves the largest manifest
        this.manifestBytes = new Shares("registry.oci.manifest-memory", oci.manifestMemory().asLongValue(),
                oci.manifestMemoryPerRegistry().asLongValue(), Distribution.MAX_MANIFEST_BYTES);
        this.clients = new ClientAddress(oci.trustedProxies().orElse(List.of()));
    }

    /** Before every other route: the data plane answers all of {@code /v2} itself, authentication included. */
    void routes(@Observes Router router) {
        router.routeWithRegex("^/v2(/.*)?$").order(-1000).handler(this::handle);
    }

    /** The operation a request asks for, and who asks. */
    private record Call(RoutingContext ctx, RegistryRef registry, String prefix, String path, Caller caller,
            RequestBody requestBody) {
        HttpServerRequest request() {
            return ctx.request();
        }

        HttpServerResponse response() {
            return ctx.response();
        }

        /**
         * The request's body, to be read now: a client that sent {@code Expect: 100-continue} (curl does for large
         * uploads) is told to go on only here, once it is authenticated and allowed, so a refused upload costs no
         * transfer, and an accepted one waits for no timeout.
         */
        RequestBody body() {
            if ("100-continue".equalsIgnoreCase(request().getHeader("Expect")) && !response().headWritten()) {
                response().writeContinue();
            }
            return requestBody;
        }
    }

    /** Who asks: a user (with the permissions of the management API) or a registry's token (with its scopes). */
    private sealed interface Caller permits User, TokenCaller, Bearer {
    }

    /**
     * A bearer token of the token flow: the grants it was issued with, and when it was issued to a registry token,
     * that token as it is now (its grants go no further than the token's present scopes).
     */
    private record Bearer(List<BearerTokens.Grant> grants, Optional<Token> token) implements Caller {
    }

    private record User(Permissions permissions) implements Caller {
    }

    private record TokenCaller(Token token) implements Caller {
    }

    /** Where a request goes: the registry's name (none for the base in path mode), the prefix, the rest. */
    private record Target(Optional<String> registryName, String prefix, String rest) {
        boolean base() {
            return rest == null;
        }
    }

    private void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        request.pause();
        RequestBody body = new RequestBody(request, ctx.vertx().getOrCreateContext());
        HttpEdge.dataPlaneHeaders(ctx.response());
        if (TOKEN_PATH.equals(request.path())) {
            // the token flow's GET (its query names the scopes); nothing else is served here
            (request.method() == HttpMethod.GET ? issueToken(ctx) : notAllowed(ctx.response(), "GET")).subscribe().with(done -> {
            }, failure -> OciErrors.answer(ctx, failure));
            return;
        }
        Uni.createFrom().item(() -> target(request))
                .flatMap(target -> authenticate(request, target.registryName())
                        .onFailure(f -> f instanceof ContentError e && e.status() == 401)
                        .transform(failure -> neededScope(target, request.method())
                                .<Throwable>map(scope -> new InsufficientScope(failure.getMessage(), scope, false))
                                .orElse(failure))
                        .flatMap(caller -> {
                    if (target.base()) {
                        if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
                            return notAllowed(ctx.response(), "GET, HEAD");
                        }
                        tokenOf(caller).ifPresent(OciRoutes::requireUsable);
                        // the base: answers whether the credentials are good; at a registry's hostname it is that
                        // registry's, whose allow list applies as on its other paths (docker login would pass else)
                        Uni<Void> allowed = target.registryName().isEmpty() ? Uni.createFrom().voidItem()
                                : distribution.registry(target.registryName().get()).invoke(registry -> {
                                    if (registry != null && reaches(caller, registry)) {
                                        requireAllowed(request, target.registryName().get(), registry);
                                    }
                                }).replaceWithVoid();
                        return allowed.invoke(() -> ctx.response().putHeader("Content-Type", "application/json")
                                .end("{}"));
                    }
                    String registryName = target.registryName().orElseThrow();
                    return distribution.registry(registryName).flatMap(registry -> {
                        // another contract's registry answers exactly as one that does not exist
                        if (registry != null && caller instanceof Bearer && !reaches(caller, registry)) {
                            Optional<String> needed = neededScope(target, request.method());
                            String message = "the bearer token grants nothing in registry '" + registryName + "'"
                                    + needed.map(s -> " (this request needs " + s + ")").orElse("")
                                    // a token's grants name its own registry: one is known here only for another
                                    + ((Bearer) caller).token().map(t -> ": token '" + t.name() + "' is another"
                                            + " registry's").orElse(": the token endpoint granted none of it, as the"
                                            + " credentials it was asked with may not do it (a registry token only"
                                            + " what its scopes name)");
                            throw needed.<ContentError>map(scope -> new InsufficientScope(message, scope, true))
                                    .orElseGet(() -> OciErrors.unauthorized(message));
                        }
                        if (registry == null || !reaches(caller, registry)) {
                            throw new ContentError(404, Code.NAME_UNKNOWN, "registry '" + registryName
                                    + "' does not exist");
                        }
                        requireAllowed(request, registryName, registry);
                        tokenOf(caller).ifPresent(OciRoutes::requireUsable);
                        return dispatch(new Call(ctx, registry, target.prefix(), target.rest(), caller, body));
                    });
                })).subscribe().with(done -> {
                }, failure -> OciErrors.answer(ctx, failure));
    }

    /** The token endpoint of the token flow: no registry is named "_token", no repository starts with '_'. */
    static final String TOKEN_PATH = "/v2/_token";

    /**
     * The token endpoint: checks the Basic credentials once (a user, or a token of the registry the scopes name) and
     * answers a bearer token granting, for each {@code scope=repository:<name>:<actions>} asked for, the actions the
     * caller may do there (possibly none). Without credentials: 401, as there is no anonymous access.
     */
    private Uni<Void> issueToken(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String host = Optional.ofNullable(request.authority()).map(a -> a.host()).orElse("").toLowerCase(Locale.ROOT);
        Optional<String> hostRegistry = host.endsWith(hostSuffix) && host.length() > hostSuffix.length()
                ? Optional.of(host.substring(0, host.length() - hostSuffix.length())) : Optional.empty();
        List<String[]> scopes = new ArrayList<>();
        for (String param : request.params().getAll("scope")) {
            for (String scope : param.trim().split("\\s+")) {
                String[] parts = scope.split(":");
                if (parts.length >= 3 && "repository".equals(parts[0])) {
                    String name = String.join(":", java.util.Arrays.copyOfRange(parts, 1, parts.length - 1));
                    scopes.add(new String[] { name, parts[parts.length - 1] });
                }
            }
        }
        // the registry the credentials are for: the host's, or (path mode) the first scope's first segment
        Optional<String> registryName = hostRegistry.or(() -> scopes.stream().findFirst()
                .map(s -> s[0].contains("/") ? s[0].substring(0, s[0].indexOf('/')) : s[0]));
        if (isBearer(request.getHeader("Authorization"))) {
            // a bearer token is not traded for another: that would renew it for ever, past any revocation
            return Uni.createFrom().failure(OciErrors.unauthorized("the token endpoint takes Basic credentials (a"
                    + " user, or a registry token), not a bearer token"));
        }
        return authenticate(request, registryName).invoke(caller -> tokenOf(caller).ifPresent(OciRoutes::requireUsable))
                .flatMap(caller -> Multi.createFrom().iterable(scopes)
                .onItem().transformToUniAndConcatenate(scope -> grant(request, caller, hostRegistry, scope[0],
                        List.of(scope[1].split(","))))
                .filter(Optional::isPresent).map(Optional::get).collect().asList()
                .flatMap(grants -> bearer.issue(subject(caller), SERVICE, grants))
                .invoke(jwt -> {
                    String body = new JsonObject().put("token", jwt).put("access_token", jwt)
                            .put("expires_in", BearerTokens.LIFETIME.toSeconds())
                            .put("issued_at", java.time.Instant.now().toString()).encode();
                    ctx.response().putHeader("Content-Type", "application/json").end(body);
                }))
                .replaceWithVoid();
    }

    /** What the caller may do of {@code actions} in the repository {@code name}; empty when nothing. */
    private Uni<Optional<BearerTokens.Grant>> grant(HttpServerRequest request, Caller caller,
            Optional<String> hostRegistry, String name, List<String> actions) {
        String registryName = hostRegistry.orElse(name.contains("/") ? name.substring(0, name.indexOf('/')) : "");
        String repository = hostRegistry.isPresent() ? name : name.substring(name.indexOf('/') + 1);
        return distribution.registry(registryName).map(registry -> {
            if (registry == null || !reaches(caller, registry) || !Distribution.NAME_PATTERN.matcher(repository).matches()
                    || (registry.allowList() != null && !registry.allowList().isEmpty() && clients.of(request)
                            .map(c -> !SubnetAllowList.allows(registry.allowList(), c)).orElse(true))
                    || caller instanceof TokenCaller t && !t.token().usableAt(java.time.Instant.now())) {
                return Optional.empty();
            }
            // actions as the data plane names them (PULL asked is pull granted, never an action no route checks)
            List<String> granted = actions.stream().map(a -> a.toLowerCase(Locale.ROOT)).filter(a -> {
                try {
                    return refusal(caller, registry, repository, Access.valueOf(a.toUpperCase(Locale.ROOT))).isEmpty();
                } catch (IllegalArgumentException unknownAction) {
                    return false;
                }
            }).distinct().toList();
            return granted.isEmpty() ? Optional.empty()
                    : Optional.of(new BearerTokens.Grant(registry.id(), repository, name, granted));
        });
    }

    private static String subject(Caller caller) {
        if (caller instanceof TokenCaller t) {
            return BearerTokens.TOKEN_SUBJECT + t.token().id();
        }
        if (caller instanceof User u) {
            return "user:" + u.permissions().contract().orElse("");
        }
        return "bearer";
    }

    /** The registry and repository path a request names: by the Host header, or in the path. */
    private Target target(HttpServerRequest request) {
        // clients may percent-encode the ':' of a digest
        String path = java.net.URLDecoder.decode(request.path().substring(3).replace("+", "%2B"),
                java.nio.charset.StandardCharsets.UTF_8);
        String host = Optional.ofNullable(request.authority()).map(a -> a.host()).orElse("").toLowerCase(Locale.ROOT);
        boolean byHost = host.endsWith(hostSuffix) && host.length() > hostSuffix.length();
        boolean base = path.isEmpty() || path.equals("/");
        if (byHost) {
            return withRepository(new Target(Optional.of(host.substring(0, host.length() - hostSuffix.length())),
                    "/v2", base ? null : path.substring(1)));
        }
        if (base) {
            return new Target(Optional.empty(), "/v2", null);
        }
        int slash = path.indexOf('/', 1);
        if (slash < 0) {
            throw new ContentError(404, Code.NAME_UNKNOWN, "no registry and repository in the path: use"
                    + " /v2/<registry>/<repository>/…, or the registry's hostname");
        }
        String registryName = path.substring(1, slash);
        return withRepository(new Target(Optional.of(registryName), "/v2/" + registryName, path.substring(slash + 1)));
    }

    /**
     * A path that goes from the registry straight to the API ({@code /v2/demo/manifests/1}: a client given
     * {@code localhost:8080/demo} as the image) names no repository: said before the credentials are asked for,
     * as the token flow would otherwise end in a bare "authentication required" (no scope can name the repository).
     */
    private static Target withRepository(Target target) {
        if (target.rest() != null && NO_REPOSITORY.matcher(target.rest()).matches()
                && neededScope(target, HttpMethod.GET).isEmpty()) {
            throw new ContentError(400, Code.NAME_INVALID, "no repository in the path: after the registry ("
                    + target.prefix() + ") comes a repository, then the API: " + target.prefix()
                    + "/<repository>/" + target.rest() + " (an image is <host>/" + (target.prefix().equals("/v2")
                            ? "" : target.registryName().orElseThrow() + "/") + "<repository>:<tag>)");
        }
        return target;
    }

    /** Whether the caller may see the registry at all: a user of its contract, or one of its tokens. */
    private static boolean reaches(Caller caller, RegistryRef registry) {
        if (caller instanceof TokenCaller t) {
            return t.token().registryId().equals(registry.id());
        }
        if (caller instanceof Bearer b) {
            return b.grants().stream().anyMatch(g -> g.registry().equals(registry.id()));
        }
        return ((User) caller).permissions().contract().map(registry.contract()::equals).orElse(false);
    }

    /** The registry token behind the caller: its own credentials, or a bearer token issued to it. */
    private static Optional<Token> tokenOf(Caller caller) {
        return caller instanceof TokenCaller t ? Optional.of(t.token())
                : caller instanceof Bearer b ? b.token() : Optional.empty();
    }

    /** {@code UNAUTHORIZED} naming why when the token is disabled or expired (read afresh with every request). */
    private static void requireUsable(Token token) {
        if (!"enabled".equals(token.status())) {
            throw OciErrors.unauthorized("token '" + token.name() + "' is disabled");
        }
        if (!token.usableAt(java.time.Instant.now())) {
            throw OciErrors.unauthorized("token '" + token.name() + "' expired at " + token.expiryDate());
        }
    }

    /** {@code DENIED} naming the rule when the client's address is not in the registry's apiSubnetAllowList. */
    private void requireAllowed(HttpServerRequest request, String registryName, RegistryRef registry) {
        if (registry.allowList() == null || registry.allowList().isEmpty()) {
            return;
        }
        Optional<inet.ipaddr.IPAddress> client = clients.of(request);
        if (SubnetAllowList.fromStored(registry.allowList()).contains(SubnetAllowList.DENY_ALL)) {
            throw new ContentError(403, Code.DENIED, "registry '" + registryName + "' takes no requests: its"
                    + " apiSubnetAllowList holds " + SubnetAllowList.DENY_ALL + ", which denies all traffic");
        }
        if (client.isEmpty() || !SubnetAllowList.allows(registry.allowList(), client.get())) {
            throw new ContentError(403, Code.DENIED, "registry '" + registryName + "' takes requests only from the"
                    + " subnets of its apiSubnetAllowList, and " + client.map(Object::toString).orElse("this client")
                    + " is not in them");
        }
    }

    /**
     * Admits an upload (a request that streams blob bytes in) of a caller allowed to push, before a byte of it is read,
     * while fewer than {@code registry.oci.max-concurrent-uploads} stream on this instance and fewer than
     * {@code registry.oci.max-concurrent-uploads-per-registry} of them are the registry's; {@code TOOMANYREQUESTS}
     * otherwise. Other requests are always admitted, a POST that only starts an upload (or mounts a blob) among them:
     * it streams nothing.
     */
    private void admit(RoutingContext ctx, java.util.UUID registry) {
        HttpServerRequest request = ctx.request();
        HttpMethod method = request.method();
        boolean upload = (method == HttpMethod.PATCH || method == HttpMethod.PUT
                || method == HttpMethod.POST && HttpEdge.hasBody(request)) && HttpEdge.isBlobUpload(request);
        if (!upload) {
            return;
        }
        if (ctx.response().closed()) {
            // hung up before it was dispatched: its close has passed, so no end handler would ever free its place
            throw new io.vertx.core.http.HttpClosedException("the client hung up");
        }
        uploads.take(registry, 1).ifPresent(refusal -> {
            throw tooMany(ctx.response(), refusal == Shares.Refusal.INSTANCE
                    ? "this instance streams " + uploadCount(uploads.total()) + " already"
                    : "this registry streams " + uploadCount(uploads.perRegistry()) + " on this instance already (its"
                            + " share of the instance's " + uploads.total() + ")");
        });
        ctx.addEndHandler(ended -> uploads.give(registry, 1));
    }

    /** A 429 the client retries after a second. */
    private static ContentError tooMany(HttpServerResponse response, String what) {
        response.putHeader("Retry-After", "1");
        return new ContentError(429, Code.TOOMANYREQUESTS, what + "; retry in a moment");
    }

    private static String uploadCount(long n) {
        return n == 1 ? "1 upload" : n + " uploads";
    }

    private static String mib(long bytes) {
        long mib = 1024 * 1024;
        return bytes % mib == 0 ? bytes / mib + " MiB" : bytes + " bytes";
    }

    /**
     * Basic credentials: a user of the users realm, else a token of the registry the request names;
     * {@code UNAUTHORIZED} with a challenge without credentials.
     */
    private Uni<Caller> authenticate(HttpServerRequest request, Optional<String> registryName) {
        String header = request.getHeader("Authorization");
        if (isBearer(header)) {
            return bearer.verify(header.substring(7).trim(), SERVICE).flatMap(verified -> {
                BearerTokens.Verified v = verified.orElseThrow(() -> OciErrors.unauthorized("the bearer token is not"
                        + " valid here or has expired; get a new one from the token endpoint"));
                Optional<BearerTokens.Grant> issuedTo = v.issuedToToken();
                if (issuedTo.isEmpty()) {
                    return Uni.createFrom().<Caller>item(new Bearer(v.grants(), Optional.empty()));
                }
                return tokens.current(issuedTo.get().registry(), v.tokenId()).map(token -> {
                    Token current = token.orElseThrow(() -> OciErrors.unauthorized("the token this bearer token was"
                            + " issued to has been deleted"));
                    return (Caller) new Bearer(v.grants(), Optional.of(current));
                });
            });
        }
        Optional<BasicCredentials> basic;
        try {
            basic = BasicCredentials.of(header);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().failure(OciErrors.unauthorized(e.getMessage()));
        }
        if (basic.isEmpty()) {
            return Uni.createFrom().failure(OciErrors.unauthorized("credentials are required"));
        }
        String username = basic.get().user();
        String password = basic.get().password();
        if (username.indexOf('\0') >= 0 || password.indexOf('\0') >= 0) {
            // no user name or token has one: not worth a query (the database could not even compare it)
            return Uni.createFrom().failure(OciErrors.unauthorized("wrong user name or password"));
        }
        String address = clients.of(request).map(Object::toString).orElse("unknown");
        String realm = registryName.map(name -> "registry " + name).orElse("no registry");
        if (throttle.blocked(realm, username, address)) {
            request.response().putHeader("Retry-After", Long.toString(LoginThrottle.WINDOW.toSeconds()));
            return Uni.createFrom().failure(new ContentError(429, Code.TOOMANYREQUESTS, "too many failed logins for"
                    + " user '" + username + "' or from " + address + "; retry in "
                    + LoginThrottle.WINDOW.toSeconds() + " s"));
        }
        // the users realm first: it is in memory, so a user's request costs no query for tokens
        return identities.authenticate(new UsernamePasswordAuthenticationRequest(username,
                new PasswordCredential(password.toCharArray())))
                .<Caller>map(identity -> new User(Actor.permissions(identity)))
                .onFailure().recoverWithUni(notAUser -> tokens.authenticate(registryName, username, password)
                        .map(token -> token.<Caller>map(TokenCaller::new).orElseThrow(() -> {
                            throttle.failed(realm, username, address);
                            return OciErrors.unauthorized("wrong user name or password" + registryName.map(name ->
                                    " (of a user, or of a token of registry '" + name + "': a token works only on"
                                            + " its own registry)").orElse(""));
                        })));
    }

    private Uni<Void> dispatch(Call call) {
        HttpMethod method = call.request().method();
        Matcher m;
        if ((m = UPLOADS.matcher(call.path())).matches()) {
            return require(call, m.group(1), Access.PUSH).flatMap(repo -> method == HttpMethod.POST
                    ? startUpload(call, repo) : notAllowed(call.response(), "POST"));
        }
        if ((m = UPLOAD.matcher(call.path())).matches()) {
            String upload = m.group(2);
            if (method == HttpMethod.PATCH) {
                return require(call, m.group(1), Access.PUSH).flatMap(repo -> patch(call, repo, upload));
            }
            if (method == HttpMethod.PUT) {
                return require(call, m.group(1), Access.PUSH).flatMap(repo -> finish(call, repo, upload));
            }
            if (method == HttpMethod.GET) {
                return require(call, m.group(1), Access.PUSH).flatMap(repo -> uploadStatus(call, repo, upload));
            }
            if (method == HttpMethod.DELETE) {
                return require(call, m.group(1), Access.PUSH).flatMap(repo -> distribution
                        .cancelUpload(call.registry().id(), repo, upload)
                        .invoke(() -> call.response().setStatusCode(204).end()));
            }
            return notAllowed(call.response(), "GET, PATCH, PUT, DELETE");
        }
        if ((m = BLOB.matcher(call.path())).matches()) {
            String digest = m.group(2);
            if (method == HttpMethod.GET || method == HttpMethod.HEAD) {
                return require(call, m.group(1), Access.PULL).flatMap(repo -> blob(call, repo, Digest.parse(digest)));
            }
            if (method == HttpMethod.DELETE) {
                return require(call, m.group(1), Access.DELETE).flatMap(repo -> inUseAllows(distribution
                        .deleteBlob(call.registry().id(), repo, Digest.parse(digest)), call.response(), "GET, HEAD")
                        .invoke(() -> call.response().setStatusCode(202).end()));
            }
            return notAllowed(call.response(), "GET, HEAD, DELETE");
        }
        if ((m = MANIFEST.matcher(call.path())).matches()) {
            String reference = m.group(2);
            if (method == HttpMethod.GET || method == HttpMethod.HEAD) {
                return require(call, m.group(1), Access.PULL).flatMap(repo -> manifest(call, repo, reference));
            }
            if (method == HttpMethod.PUT) {
                return require(call, m.group(1), Access.PUSH).flatMap(repo -> putManifest(call, repo, reference));
            }
            if (method == HttpMethod.DELETE) {
                return require(call, m.group(1), Access.DELETE).flatMap(repo -> inUseAllows(distribution
                        .deleteManifest(call.registry().id(), repo, reference), call.response(), "GET, HEAD, PUT")
                        .invoke(() -> call.response().setStatusCode(202).end()));
            }
            return notAllowed(call.response(), "GET, HEAD, PUT, DELETE");
        }
        if ((m = TAGS.matcher(call.path())).matches()) {
            return method == HttpMethod.GET || method == HttpMethod.HEAD
                    ? require(call, m.group(1), Access.PULL).flatMap(repo -> tags(call, repo))
                    : notAllowed(call.response(), "GET, HEAD");
        }
        if ((m = REFERRERS.matcher(call.path())).matches()) {
            String digest = m.group(2);
            return method == HttpMethod.GET
                    ? require(call, m.group(1), Access.PULL).flatMap(repo -> referrers(call, repo, Digest.parse(digest)))
                    : notAllowed(call.response(), "GET");
        }
        return Uni.createFrom().failure(new ContentError(404, Code.NAME_UNKNOWN, "no such route of the OCI"
                + " distribution API: " + call.request().path()));
    }

    /** What an operation needs. */
    private enum Access {
        PULL, PUSH, DELETE
    }

    /** The repository name, checked, when the caller may do this in the registry; {@code DENIED} otherwise. */
    private Uni<String> require(Call call, String repository, Access access) {
        return Uni.createFrom().item(() -> {
            String name = Distribution.repositoryName(repository);
            Optional<String> refusal = refusal(call.caller(), call.registry(), name, access);
            if (refusal.isPresent()) {
                if (call.caller() instanceof Bearer) {
                    // the token flow: the client asks for a token with the scope named in the challenge
                    throw new InsufficientScope(refusal.get(), scopeName(call.prefix(), name) + ":" + action(access),
                            true);
                }
                throw new ContentError(403, Code.DENIED, refusal.get());
            }
            if (access == Access.PUSH) {
                admit(call.ctx(), call.registry().id());
            }
            return name;
        });
    }

    /** Why the caller may not do {@code access} in the repository; empty when it may. The one decision. */
    private static Optional<String> refusal(Caller caller, RegistryRef registry, String repository, Access access) {
        String action = action(access);
        if (caller instanceof TokenCaller t) {
            return t.token().allows(repository, action) ? Optional.empty() : Optional.of("token '" + t.token().name()
                    + "' may not " + action + " in repository '" + repository + "': no scope of it grants that");
        }
        if (caller instanceof Bearer b) {
            if (b.token().isPresent() && !b.token().get().allows(repository, action)) {
                return Optional.of("token '" + b.token().get().name() + "', which this bearer token was issued to, may"
                        + " not " + action + " in repository '" + repository + "': no scope of it grants that");
            }
            return b.grants().stream().anyMatch(g -> g.registry().equals(registry.id())
                    && g.repository().equals(repository) && g.actions().contains(action)) ? Optional.empty()
                            : Optional.of("the bearer token does not grant " + action + " in repository '"
                                    + repository + "'");
        }
        Permissions p = ((User) caller).permissions();
        String location = registry.location();
        boolean manage = p.canManage(location);
        boolean pull = manage || p.registryPrivilege() && p.datacenters().containsKey(location);
        if (access == Access.PULL ? pull : manage) {
            return Optional.empty();
        }
        return Optional.of(pull ? "you may pull from this registry, not " + action
                : "you may not use this registry: it needs the right to manage registries in " + location);
    }

    private static String action(Access access) {
        return access.name().toLowerCase(Locale.ROOT);
    }

    /** The repository's name as the client sees it (with the registry's name in path mode), for a scope. */
    private static String scopeName(String prefix, String repository) {
        return "repository:" + clientName(prefix, repository);
    }

    /** The repository's name as the client writes it: {@code <registry>/<repository>} in path mode. */
    private static String clientName(String prefix, String repository) {
        return (prefix.equals("/v2") ? "" : prefix.substring(4) + "/") + repository;
    }

    /** The scope a request needs (its repository, and pull, or pull and push, or delete); empty for the base. */
    private static Optional<String> neededScope(Target target, HttpMethod method) {
        if (target.base()) {
            return Optional.empty();
        }
        for (Pattern route : List.of(UPLOADS, UPLOAD, BLOB, MANIFEST, TAGS, REFERRERS)) {
            Matcher m = route.matcher(target.rest());
            if (m.matches()) {
                // every request on an upload needs push, its status included
                boolean upload = route == UPLOADS || route == UPLOAD;
                String actions = !upload && (method == HttpMethod.GET || method == HttpMethod.HEAD) ? "pull"
                        : !upload && method == HttpMethod.DELETE ? "delete" : "pull,push";
                return Optional.of(scopeName(target.prefix(), m.group(1)) + ":" + actions);
            }
        }
        return Optional.empty();
    }

    private static boolean isBearer(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
    }

    /** A 405 names the methods the path has (HTTP requires the Allow header on it). */
    private static Uni<Void> notAllowed(HttpServerResponse response, String allowed) {
        response.putHeader("Allow", allowed);
        return Uni.createFrom().failure(new ContentError(405, Code.UNSUPPORTED,
                "this method is not supported on this path; it allows " + allowed));
    }

    /** A delete refused (405) because the content is in use: the path then allows the methods {@code allowed}. */
    private static Uni<Void> inUseAllows(Uni<Void> delete, HttpServerResponse response, String allowed) {
        return delete.onFailure(failure -> failure instanceof ContentError e && e.status() == 405)
                .invoke(() -> response.putHeader("Allow", allowed));
    }

    // --- blobs and uploads ------------------------------------------------------------------------------------

    private Uni<Void> blob(Call call, String repository, Digest digest) {
        UUID registry = call.registry().id();
        Uni<Optional<String>> direct = call.request().method() == HttpMethod.GET ? distribution.blobUrl(registry, digest)
                : Uni.createFrom().item(Optional.empty());
        return distribution.blobSize(registry, repository, digest).flatMap(size -> direct.flatMap(url -> {
            if (url.isPresent()) {
                // the object store sends the bytes itself (registry.storage.s3.redirect)
                call.response().setStatusCode(307).putHeader("Location", url.get())
                        .putHeader("Docker-Content-Digest", digest.toString()).end();
                return Uni.createFrom().voidItem();
            }
            String etag = "\"" + digest + "\"";
            HttpServerResponse response = call.response().putHeader("Docker-Content-Digest", digest.toString())
                    .putHeader("Content-Type", "application/octet-stream").putHeader("Accept-Ranges", "bytes")
                    .putHeader("ETag", etag);
            String ifNoneMatch = call.request().getHeader("If-None-Match");
            if (ifNoneMatch != null && java.util.Arrays.stream(ifNoneMatch.split(",")).map(String::trim)
                    .map(tag -> tag.startsWith("W/") ? tag.substring(2) : tag)
                    .anyMatch(tag -> tag.equals(etag) || tag.equals("*"))) {
                // the client has these bytes already (a blob never changes under its digest)
                response.setStatusCode(304).end();
                return Uni.createFrom().voidItem();
            }
            long from = 0;
            long length = size;
            String ifRange = call.request().getHeader("If-Range");
            // a Range for other bytes than these (If-Range names another validator, or a date: there is no
            // Last-Modified) is ignored, as HTTP asks: the whole blob is the answer
            String range = ifRange != null && !ifRange.trim().equals(etag) ? null : call.request().getHeader("Range");
            Matcher m = range == null ? null : BYTE_RANGE.matcher(range.trim());
            // a Range that is not one range of bytes is ignored, as HTTP asks: the whole blob is the answer
            if (m != null && m.matches() && call.request().method() == HttpMethod.GET) {
                long start = -1;
                long end = -1;
                if (!(m.group(1).isEmpty() && m.group(2).isEmpty())) {
                    if (m.group(1).isEmpty()) {
                        long suffix = digits(m.group(2));
                        start = Math.max(0, size - suffix);
                        end = size - 1;
                    } else {
                        start = digits(m.group(1));
                        end = m.group(2).isEmpty() ? size - 1 : Math.min(size - 1, digits(m.group(2)));
                    }
                }
                if (start < 0 || start >= size || end < start) {
                    response.putHeader("Content-Range", "bytes */" + size);
                    return Uni.createFrom().failure(new ContentError(416, Code.SIZE_INVALID, "the range '" + range
                            + "' is not within the blob's " + size + " bytes"));
                }
                from = start;
                length = end - start + 1;
                response.setStatusCode(206).putHeader("Content-Range", "bytes " + start + "-" + end + "/" + size);
            }
            response.putHeader("Content-Length", Long.toString(length));
            if (call.request().method() == HttpMethod.HEAD || length == 0) {
                response.end();
                return Uni.createFrom().voidItem();
            }
            return distribution.sendBlob(registry, digest, from, length, call.request());
        }));
    }

    private Uni<Void> startUpload(Call call, String repository) {
        UUID registry = call.registry().id();
        String mount = call.request().getParam("mount");
        String digest = call.request().getParam("digest");
        if (mount != null) {
            Digest wanted = Digest.parse(mount);
            Optional<String> from = mountable(call, call.request().getParam("from"));
            if (from.isEmpty()) {
                // the spec's answer when a mount cannot be made: an upload session instead
                return newUpload(call, repository);
            }
            return distribution.mount(registry, repository, wanted, from.get()).flatMap(mounted -> {
                if (mounted) {
                    call.response().setStatusCode(201)
                            .putHeader("Location", call.prefix() + "/" + repository + "/blobs/" + wanted)
                            .putHeader("Docker-Content-Digest", wanted.toString()).end();
                    return Uni.createFrom().voidItem();
                }
                return newUpload(call, repository);
            });
        }
        if (digest != null) {
            Digest expected = Digest.parse(digest);
            return distribution.startUpload(registry, repository)
                    .flatMap(id -> distribution.finishUpload(registry, repository, id.toString(), expected,
                            Optional.of(call.body()))
                            .invoke(() -> created(call, repository, expected)));
        }
        return newUpload(call, repository);
    }

    /**
     * The repository a mount may take a blob from: named by {@code from} as the client names repositories (in path
     * mode with the registry's name in front, as docker and skopeo send it, or without), valid, and one the caller
     * may pull from (a mount reads it). Empty otherwise; no repository is guessed.
     */
    private static Optional<String> mountable(Call call, String from) {
        if (from == null) {
            return Optional.empty();
        }
        String registryPrefix = clientName(call.prefix(), "");
        String name;
        try {
            name = Distribution.repositoryName(from.startsWith(registryPrefix) ? from.substring(registryPrefix
                    .length()) : from);
        } catch (ContentError invalid) {
            return Optional.empty();
        }
        return refusal(call.caller(), call.registry(), name, Access.PULL).isEmpty() ? Optional.of(name)
                : Optional.empty();
    }

    private Uni<Void> newUpload(Call call, String repository) {
        return distribution.startUpload(call.registry().id(), repository)
                .invoke(id -> call.response().setStatusCode(202)
                        .putHeader("Location", uploadLocation(call, repository, id.toString()))
                        .putHeader("Docker-Upload-UUID", id.toString()).putHeader("Range", "0-0")
                        .putHeader("Content-Length", "0").end())
                .replaceWithVoid();
    }

    /** A run of digits as a number; one too large for a long is as good as infinite (never a position). */
    private static long digits(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private Uni<Void> patch(Call call, String repository, String upload) {
        Optional<Long> start = Optional.empty();
        String contentRange = call.request().getHeader("Content-Range");
        if (contentRange != null) {
            Matcher m = RANGE.matcher(contentRange.trim());
            if (!m.matches()) {
                throw new ContentError(416, Code.BLOB_UPLOAD_INVALID, "Content-Range '" + contentRange
                        + "' is not <start>-<end>");
            }
            start = Optional.of(digits(m.group(1)));
            String length = call.request().getHeader("Content-Length");
            if (length != null && digits(length) > 0 && digits(m.group(2)) != start.get() + digits(length) - 1) {
                throw new ContentError(416, Code.BLOB_UPLOAD_INVALID, "Content-Range '" + contentRange
                        + "' does not span the chunk's " + length + " bytes (its end is start + length - 1)");
            }
        }
        return distribution.append(call.registry().id(), repository, upload, start, call.body())
                .invoke(size -> uploadAnswer(call, repository, upload, size, 202)).replaceWithVoid();
    }

    private Uni<Void> uploadStatus(Call call, String repository, String upload) {
        return distribution.uploadSize(call.registry().id(), repository, upload)
                .invoke(size -> uploadAnswer(call, repository, upload, size, 204)).replaceWithVoid();
    }

    private void uploadAnswer(Call call, String repository, String upload, long size, int status) {
        call.response().setStatusCode(status).putHeader("Location", uploadLocation(call, repository, upload))
                .putHeader("Docker-Upload-UUID", upload).putHeader("Range", "0-" + Math.max(0, size - 1))
                .putHeader("Content-Length", "0").end();
    }

    private Uni<Void> finish(Call call, String repository, String upload) {
        String digest = call.request().getParam("digest");
        if (digest == null) {
            throw ContentError.digestInvalid("PUT that finishes an upload needs ?digest=<algorithm>:<hex>");
        }
        Digest expected = Digest.parse(digest);
        boolean body = HttpEdge.hasBody(call.request());
        return distribution.finishUpload(call.registry().id(), repository, upload, expected,
                body ? Optional.of(call.body()) : Optional.empty())
                .invoke(() -> created(call, repository, expected));
    }

    private static void created(Call call, String repository, Digest digest) {
        call.response().setStatusCode(201).putHeader("Location", call.prefix() + "/" + repository + "/blobs/" + digest)
                .putHeader("Docker-Content-Digest", digest.toString()).putHeader("Content-Length", "0").end();
    }

    private static String uploadLocation(Call call, String repository, String upload) {
        return call.prefix() + "/" + repository + "/blobs/uploads/" + upload;
    }

    // --- manifests, tags, referrers ---------------------------------------------------------------------------

    private Uni<Void> manifest(Call call, String repository, String reference) {
        UUID registry = call.registry().id();
        if (!Digest.looksLikeDigest(reference) && !Distribution.isTag(reference)) {
            // a reference that can be no tag names no manifest
            throw new ContentError(404, Code.MANIFEST_UNKNOWN, "'" + reference + "' is neither a tag nor a digest");
        }
        return distribution.manifest(registry, repository, reference).flatMap(m -> {
            HttpServerResponse response = call.response().putHeader("Content-Type", m.mediaType())
                    .putHeader("Docker-Content-Digest", m.digest())
                    .putHeader("Content-Length", Integer.toString(m.content().length));
            if (call.request().method() == HttpMethod.HEAD) {
                response.end();
                return Uni.createFrom().voidItem();
            }
            distribution.countPull(registry, repository, m.digest());
            response.end(Buffer.buffer(m.content()));
            return Uni.createFrom().voidItem();
        });
    }

    private Uni<Void> putManifest(Call call, String repository, String reference) {
        Optional<Long> declared = HttpEdge.declaredLength(call.request());
        if (declared.filter(n -> n > Distribution.MAX_MANIFEST_BYTES).isPresent()) {
            // refused before a byte is read (a client that sent Expect: 100-continue is not asked to send it)
            return Uni.createFrom().failure(OciErrors.manifestTooLarge(Distribution.MAX_MANIFEST_BYTES));
        }
        // a manifest is read whole into memory: what all of them may hold at once on this instance is bounded
        long reserved = declared.orElse((long) Distribution.MAX_MANIFEST_BYTES);
        java.util.UUID registry = call.registry().id();
        Optional<Shares.Refusal> refused = manifestBytes.take(registry, reserved);
        if (refused.isPresent()) {
            return Uni.createFrom().failure(tooMany(call.response(), refused.get() == Shares.Refusal.INSTANCE
                    ? "with this one, the manifests this instance is receiving would pass the "
                            + mib(manifestBytes.total()) + " it holds at once"
                    : "with this one, this registry's manifests being received on this instance would pass its share of "
                            + mib(manifestBytes.perRegistry()) + " (of the instance's " + mib(manifestBytes.total()) + ")"));
        }
        return OciErrors.body(call.body(), Distribution.MAX_MANIFEST_BYTES)
                .flatMap(content -> distribution.putManifest(call.registry().id(), repository, reference,
                        call.request().getHeader("Content-Type"), content.getBytes()))
                // given back before the answer is sent (a failure's answer comes after it too)
                .onTermination().invoke(() -> manifestBytes.give(registry, reserved))
                .invoke(pushed -> {
                    HttpServerResponse response = call.response().setStatusCode(201)
                            .putHeader("Location", call.prefix() + "/" + repository + "/manifests/" + pushed.digest())
                            .putHeader("Docker-Content-Digest", pushed.digest().toString())
                            .putHeader("Content-Length", "0");
                    pushed.subject().ifPresent(subject -> response.putHeader("OCI-Subject", subject));
                    response.end();
                }).replaceWithVoid();
    }

    private Uni<Void> tags(Call call, String repository) {
        String nText = call.request().getParam("n");
        int n;
        try {
            n = nText == null ? 1000 : Integer.parseInt(nText);
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 0 || n > 10000) {
            throw new ContentError(400, Code.UNSUPPORTED, "n: '" + nText + "' must be a whole number from 0 to 10000");
        }
        int limit = n;
        Optional<String> last = Optional.ofNullable(call.request().getParam("last"));
        if (limit == 0) {
            return distribution.tags(call.registry().id(), repository, last, 0)
                    .invoke(tags -> tagsAnswer(call, repository, tags, false, limit)).replaceWithVoid();
        }
        return distribution.tags(call.registry().id(), repository, last, limit + 1)
                .invoke(tags -> tagsAnswer(call, repository, tags.subList(0, Math.min(limit, tags.size())),
                        tags.size() > limit, limit))
                .replaceWithVoid();
    }

    private static void tagsAnswer(Call call, String repository, List<String> tags, boolean more, int n) {
        HttpServerResponse response = call.response().putHeader("Content-Type", "application/json");
        if (more) {
            response.putHeader("Link", "<" + call.prefix() + "/" + repository + "/tags/list?n=" + n + "&last="
                    + java.net.URLEncoder.encode(tags.get(tags.size() - 1), java.nio.charset.StandardCharsets.UTF_8)
                    + ">; rel=\"next\"");
        }
        response.end(new JsonObject().put("name", clientName(call.prefix(), repository)).put("tags", new JsonArray(tags))
                .encode());
    }

    private Uni<Void> referrers(Call call, String repository, Digest subject) {
        Optional<String> artifactType = Optional.ofNullable(call.request().getParam("artifactType"));
        return distribution.referrers(call.registry().id(), repository, subject, artifactType).invoke(list -> {
            JsonArray manifests = new JsonArray();
            list.forEach(r -> {
                JsonObject descriptor = new JsonObject().put("mediaType", r.mediaType()).put("digest", r.digest())
                        .put("size", r.size());
                if (r.artifactType() != null) {
                    descriptor.put("artifactType", r.artifactType());
                }
                if (r.annotations() != null) {
                    descriptor.put("annotations", r.annotations());
                }
                manifests.add(descriptor);
            });
            HttpServerResponse response = call.response().putHeader("Content-Type",
                    "application/vnd.oci.image.index.v1+json");
            artifactType.ifPresent(t -> response.putHeader("OCI-Filters-Applied", "artifactType"));
            response.end(new JsonObject().put("schemaVersion", 2)
                    .put("mediaType", "application/vnd.oci.image.index.v1+json").put("manifests", manifests).encode());
        }).replaceWithVoid();
    }

}
