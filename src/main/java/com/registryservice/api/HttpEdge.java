package com.registryservice.api;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The first look at every request, before authentication and any body is read: what the HTTP layer would
 * otherwise refuse in a shape of its own (an empty body, or Quarkus' {@code details}/{@code stack} JSON with an
 * ERROR line) is refused here in the API's error shape. A request target that is not a URI reference (Quarkus' own
 * check is handed over, see {@link UriValidationHandover}) or a {@code Host} that is empty or not a host is a 400
 * (links are built from it when {@code registry.public-url} is not set); a management
 * API body declared larger than {@code quarkus.http.limits.max-body-size} is a 413 before a byte of it is read. The
 * data plane ({@code /v2}) streams its bodies and answers in the OCI shape. A request target or headers beyond
 * this API's limits ({@link #MAX_REQUEST_TARGET}, {@link #MAX_HEADER_BYTES}) are a 414 or 431 here; the HTTP decoder's
 * own limits ({@code quarkus.http.limits.max-initial-line-length}, {@code max-header-size}) are set above them, so
 * only what is beyond those (hostile, never a client's mistake) is refused by the decoder, and answered by
 * {@link DecoderRefusals}.
 */
@ApplicationScoped
public class HttpEdge {

    /** A '.' or '..' segment of a raw path, each dot plain or percent-encoded. */
    private static final Pattern DOT_SEGMENT = Pattern.compile("(^|/)(\\.|%2[eE])((\\.|%2[eE]))?(/|$|\\?)");

    /**
     * A blob upload's path (its start, or one upload): the last segments, so that a repository named
     * {@code x/blobs/uploads} does not make its manifests one.
     */
    private static final Pattern BLOB_UPLOAD = Pattern.compile("/v2/.+/blobs/uploads/[^/]*");

    /** A '%' not followed by two hexadecimal digits. */
    private static final Pattern MALFORMED_ESCAPE = Pattern.compile("%(?![0-9A-Fa-f]{2})");

    private static final String MALFORMED = "the request target holds a malformed percent-encoding (a '%' must be"
            + " followed by two hexadecimal digits)";

    private static final long LINGER_MILLIS = 5_000;

    /** The longest request target (path and query, as sent) this API takes. */
    static final int MAX_REQUEST_TARGET = 4096;

    /** The most header bytes (names, values and their separators) this API takes. */
    static final int MAX_HEADER_BYTES = 20 * 1024;

    private final long maxBody;
    private final long bodyTimeoutMillis;

    public HttpEdge(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBody,
            @ConfigProperty(name = "registry.body-timeout", defaultValue = "30s") java.time.Duration bodyTimeout) {
        this.maxBody = maxBody.asLongValue();
        this.bodyTimeoutMillis = bodyTimeout.toMillis();
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::check);
        // the router itself fails a request whose Host it cannot parse or whose target is not a path (GET *), before
        // any route runs: its failure comes here
        router.route().order(Integer.MIN_VALUE).failureHandler(ctx -> {
            String problem = ctx.response().headWritten() ? null : unroutable(ctx.request());
            if (problem != null) {
                refuse(ctx, isDataPlane(ctx.request()), 400, problem);
            } else {
                ctx.next();
            }
        });
    }

    /**
     * The management interface (probes and scrapers, its own port) has Quarkus' check of the request target handed
     * over too: without this its router would fail on a malformed escape with an ERROR and a stack trace. Only the
     * target is checked there (a probe's {@code Host} is whatever the orchestrator sends).
     */
    void installOnManagement(@Observes ManagementInterface management) {
        // what the port does not serve: a 404 in the shape, not Vert.x's HTML page
        management.router().route().order(Integer.MAX_VALUE).handler(ctx -> refuse(ctx, false, 404, "the management"
                + " interface serves health (/q/health, /q/health/live, /q/health/ready) and metrics (/q/metrics)"
                + " only; the API is on the other port"));
        management.router().route().order(Integer.MIN_VALUE).failureHandler(ctx -> {
            // the router fails a target that is not a path (OPTIONS *) before any route runs
            String path = ctx.request().path();
            if (!ctx.response().headWritten() && (path == null || !path.startsWith("/"))) {
                refuse(ctx, false, 400, NOT_A_PATH);
            } else {
                ctx.next();
            }
        });
        management.router().route().order(Integer.MIN_VALUE).handler(ctx -> {
            String target = ctx.request().uri();
            String problem = target == null ? "the request has no target" : malformed(target);
            if (problem != null) {
                refuse(ctx, false, 400, problem);
            } else if (ctx.request().method() != HttpMethod.GET && ctx.request().method() != HttpMethod.HEAD) {
                // health and metrics are read: POST /q/health answered as a GET would
                ctx.response().putHeader("Allow", "GET, HEAD");
                refuse(ctx, false, 405, "the management interface answers GET and HEAD only");
            } else {
                ctx.next();
            }
        });
    }

    /** What makes the request unroutable (a bad Host, a target that is not a path); null if nothing. */
    private static String unroutable(HttpServerRequest request) {
        if (request.version() != HttpVersion.HTTP_2 && request.authority() == null) {
            // links and Location are built from it (without registry.public-url); HTTP/1.0 may leave it out
            return request.headers().contains("Host") ? HOST
                    : "the request has no Host header: send one (the API's links are built from it)";
        }
        if (request.version() != HttpVersion.HTTP_2 && !hostName(request.authority().host())) {
            // never from an empty or broken one
            return HOST;
        }
        String path = request.path();
        if (path == null || !path.startsWith("/")) {
            return NOT_A_PATH;
        }
        return malformed(request.uri());
    }

    /**
     * What makes the request target not a URI reference (as Quarkus would check it, see
     * {@link UriValidationHandover}); null if nothing.
     */
    private static String malformed(String target) {
        try {
            new URI(target);
            return null;
        } catch (URISyntaxException e) {
            if (MALFORMED_ESCAPE.matcher(target).find()) {
                return MALFORMED;
            }
            String reason = e.getReason();
            return "the request target is not a valid URI: " + Character.toLowerCase(reason.charAt(0))
                    + reason.substring(1) + " at index " + e.getIndex() + " (percent-encode it)";
        }
    }

    private static final String NOT_A_PATH = "the request target is not a path (it must start with '/')";

    private static final String HOST = "the Host header is not a host name or address (with an optional port)";

    /** A DNS label: letters, digits, underscores (container networks' service names) and inner hyphens, up to 63. */
    private static final Pattern HOST_NAME = Pattern.compile(
            "([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\\.)*[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\\.?");

    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1?\\d?\\d)");

    /** Whether a host could name this service: a DNS name (its last label not all digits), an IPv4 or IPv6 address. */
    private static boolean hostName(String host) {
        if (host.startsWith("[")) {
            // the HTTP layer takes anything between brackets ([zzz]); links are URIs, which take IPv6 addresses only
            return host.endsWith("]") && ipv6Literal(host);
        }
        if (host.length() > 253 || !HOST_NAME.matcher(host).matches()) {
            return false;
        }
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        String last = name.substring(name.lastIndexOf('.') + 1);
        return !last.chars().allMatch(Character::isDigit) || IPV4.matcher(name).matches();
    }

    private static boolean ipv6Literal(String bracketed) {
        try {
            return new URI("http://" + bracketed + "/").getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** Whether the request is a blob upload's (its start, or one upload), whose bytes stream to storage. */
    public static boolean isBlobUpload(HttpServerRequest request) {
        return BLOB_UPLOAD.matcher(request.path()).matches();
    }

    /** The request's Content-Length when it is a number (the HTTP layer refuses one that is not). */
    public static java.util.Optional<Long> declaredLength(HttpServerRequest request) {
        try {
            return java.util.Optional.ofNullable(request.getHeader("Content-Length")).map(String::trim)
                    .map(Long::parseLong);
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    /** Whether a body follows the request's headers. */
    public static boolean hasBody(HttpServerRequest request) {
        String length = request.getHeader("Content-Length");
        return length != null ? !length.trim().equals("0") : request.getHeader("Transfer-Encoding") != null;
    }

    /**
     * The headers of every data-plane answer, refusals at the edge included. A manifest is answered with the media
     * type it was pushed with: no browser is to guess another from its bytes, nor run anything a pusher put in one
     * (defence in depth: manifests' types are JSON ones).
     */
    public static HttpServerResponse dataPlaneHeaders(HttpServerResponse response) {
        return response.putHeader("Docker-Distribution-API-Version", "registry/2.0")
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Content-Security-Policy", "default-src 'none'; sandbox");
    }

    /**
     * Whether the request is the data plane's ({@code /v2}, answered in the OCI shape), not the management API's; a
     * malformed one counts too ({@code /v2\x}, {@code /v2%2Fx}): no path of the management API starts with {@code /v2}.
     */
    public static boolean isDataPlane(HttpServerRequest request) {
        String path = request.path();
        return path != null && path.startsWith("/v2")
                && (path.length() == 3 || "/\\%;?".indexOf(path.charAt(3)) >= 0);
    }

    private void check(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        boolean dataPlane = isDataPlane(request);
        String problem = unroutable(request);
        if (problem != null) {
            refuse(ctx, dataPlane, 400, problem);
            return;
        }
        String repeated = request.headers().getAll("Authorization").size() > 1 ? "Authorization"
                : request.headers().getAll("Host").size() > 1 ? "Host" : null;
        if (repeated != null) {
            // which one would count is a guess a proxy in front may make differently
            refuse(ctx, dataPlane, 400, "the request holds more than one " + repeated + " header: send one");
            return;
        }
        List<String> codings = request.headers().getAll("Transfer-Encoding");
        if (!codings.isEmpty() && !(codings.size() == 1 && codings.get(0).trim().equalsIgnoreCase("chunked"))) {
            // a coding the HTTP layer does not apply, with a Content-Length it would apply instead, or several:
            // where this request ends is ambiguous, so nothing after it on the connection is read as a request
            refuse(ctx, dataPlane, 400, "Transfer-Encoding '" + String.join(", ", codings) + "' is not supported:"
                    + " send one 'chunked' or a Content-Length only", true);
            return;
        }
        if (request.uri().length() > MAX_REQUEST_TARGET) {
            refuse(ctx, dataPlane, 414, "the request target (path and query) is longer than " + MAX_REQUEST_TARGET
                    + " characters");
            return;
        }
        if (headerBytes(request) > MAX_HEADER_BYTES) {
            refuse(ctx, dataPlane, 431, "the request's headers are larger than " + MAX_HEADER_BYTES / 1024 + " KiB");
            return;
        }
        if (DOT_SEGMENT.matcher(request.path()).find()) {
            // the router would resolve them: DELETE …/tokens/%2e%2e would delete the registry itself
            refuse(ctx, dataPlane, 400, "the path holds a '.' or '..' segment (also percent-encoded): send the path"
                    + " of the resource itself");
            return;
        }
        String repeatedParameter = repeatedParameter(request);
        if (repeatedParameter != null) {
            // which one would count is a guess (the first, here; the last, in many proxies and frameworks)
            refuse(ctx, dataPlane, 400, "the query parameter '" + repeatedParameter + "' is given more than once,"
                    + " with different values: send it once");
            return;
        }
        if (!dataPlane && request.path().indexOf(';') >= 0) {
            // the router drops what follows a ';' in a segment (matrix parameters): DELETE …/repositories/victim;x
            // would delete 'victim'; no id, name or repository of this API holds one
            refuse(ctx, false, 400, "the path holds a ';': no id, name or repository of this API holds one, and it"
                    + " takes no matrix parameters");
            return;
        }
        String length = request.getHeader("Content-Length");
        if (!dataPlane && length == null && request.headers().contains("Transfer-Encoding")) {
            // a body of unknown length could only be refused once read past the limit, with the HTTP layer's bare 413
            refuse(ctx, false, 411, "send the request body with a Content-Length (this API's bodies are small JSON"
                    + " documents, up to " + maxBody / 1024 + " KiB)");
            return;
        }
        if (!dataPlane && declaredLength(request).filter(n -> n > maxBody).isPresent()) {
            refuse(ctx, false, 413, "the request body is larger than this API takes (" + maxBody / 1024
                    + " KiB); nothing was read");
            return;
        }
        if (hasBody(request) && !isBlobUpload(request)) {
            bodyDeadline(ctx, dataPlane);
        }
        ctx.next();
    }

    /**
     * A body that is read whole (a JSON document, a manifest) must have arrived within {@code registry.body-timeout}:
     * a client trickling one byte at a time would otherwise hold its buffer, and its connection, for as long as it
     * likes. Blob uploads stream to storage instead (memory stays flat) and are bound by the idle timeout.
     */
    private void bodyDeadline(RoutingContext ctx, boolean dataPlane) {
        HttpServerRequest request = ctx.request();
        long timer = ctx.vertx().setTimer(bodyTimeoutMillis, fired -> {
            if (request.isEnded() || ctx.response().ended() || ctx.response().closed()) {
                return;
            }
            if (ctx.response().headWritten()) {
                request.connection().close();
                return;
            }
            // what was read of the body is dropped; the connection closes, as its framing is in the middle of a body
            refuse(ctx, dataPlane, 408, timedOut());
        });
        ctx.addEndHandler(ended -> ctx.vertx().cancelTimer(timer));
    }

    private String timedOut() {
        return "the request body did not arrive within " + bodyTimeoutMillis / 1000 + " s of its headers; send it"
                + " whole, at once";
    }

    /**
     * A query parameter named twice with different values; else null. The same value twice is taken: a client
     * retrying after a challenge may append its parameters again (the OCI conformance suite's client does). The
     * token endpoint's scope may repeat: clients ask for several.
     */
    private static String repeatedParameter(HttpServerRequest request) {
        if (request.query() == null || request.path().equals("/v2/_token")) {
            return null;
        }
        var seen = new java.util.HashMap<String, String>();
        for (var parameter : request.params()) {
            String before = seen.putIfAbsent(parameter.getKey(), parameter.getValue());
            if (before != null && !before.equals(parameter.getValue())) {
                return parameter.getKey().length() > 100 ? parameter.getKey().substring(0, 100) + "…"
                        : parameter.getKey();
            }
        }
        return null;
    }

    private static int headerBytes(HttpServerRequest request) {
        int bytes = 0;
        for (var header : request.headers()) {
            bytes += header.getKey().length() + header.getValue().length() + 4; // ": " and CRLF
        }
        return bytes;
    }

    /** Answers in the shape of the API the path belongs to, and closes the connection (a body may follow). */
    private static void refuse(RoutingContext ctx, boolean dataPlane, int status, String message) {
        refuse(ctx, dataPlane, status, message, false);
    }

    /**
     * Answers in the shape of the API the path belongs to, and closes the connection. When {@code framing} is
     * ambiguous the answer is written without ending the response (ending it would hand the next request already
     * read from the connection to the router), and the connection closes at once.
     */
    private static void refuse(RoutingContext ctx, boolean dataPlane, int status, String message, boolean framing) {
        Buffer body = dataPlane ? ErrorBodies.oci(status == 413 ? "SIZE_INVALID" : "UNSUPPORTED", message, null)
                : ErrorBodies.management(ApiError.of(status, ExceptionMappers.frameworkCode(status), message));
        HttpServerRequest request = ctx.request();
        if (dataPlane) {
            dataPlaneHeaders(ctx.response());
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .putHeader("Connection", "close");
        if (framing) {
            ctx.response().putHeader("Content-Length", Integer.toString(body.length())).write(body)
                    .onComplete(written -> request.connection().close());
            return;
        }
        ctx.response().end(body)
                .onComplete(done -> {
                    if (request.isEnded()) {
                        request.connection().close();
                        return;
                    }
                    // a client still sending its body reads the answer only if the connection stays open meanwhile:
                    // what it sends is discarded, for at most LINGER, then the connection closes
                    long timer = ctx.vertx().setTimer(LINGER_MILLIS, t -> request.connection().close());
                    request.handler(ignored -> {
                    });
                    request.endHandler(end -> {
                        ctx.vertx().cancelTimer(timer);
                        request.connection().close();
                    });
                    request.resume();
                });
    }
}
