package com.registryservice.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.registryservice.api.ApiError;
import com.registryservice.api.ErrorBodies;
import com.registryservice.api.ErrorCode;
import com.registryservice.api.HttpEdge;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Password guessing on the management API meets the same {@link LoginThrottle} as on the data plane: a failed Basic
 * login (answered 401) is counted for its user name and the client's address, and once over the limits further
 * attempts from there get 429 with {@code Retry-After} before their password is checked. The client's address is
 * the connection's, or the forwarded one when {@code quarkus.http.proxy.proxy-address-forwarding} is on.
 */
@ApplicationScoped
public class ManagementLogins {

    private static final String REALM = "management API";

    private final LoginThrottle throttle;

    public ManagementLogins(LoginThrottle throttle) {
        this.throttle = throttle;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 1).handler(this::check);
    }

    private void check(RoutingContext ctx) {
        String user = HttpEdge.isDataPlane(ctx.request()) ? null : basicUser(ctx.request().getHeader("Authorization"));
        if (user == null) {
            ctx.next();
            return;
        }
        String address = ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
        if (throttle.blocked(REALM, user, address)) {
            String seconds = Long.toString(LoginThrottle.WINDOW.toSeconds());
            ctx.response().setStatusCode(429).putHeader("Content-Type", "application/json")
                    .putHeader("Retry-After", seconds)
                    .end(ErrorBodies.management(ApiError.of(429, ErrorCode.TOO_MANY_REQUESTS, "too many failed logins"
                            + " for user '" + user + "' or from " + address + "; retry in " + seconds + " s")));
            return;
        }
        ctx.addHeadersEndHandler(v -> {
            if (ctx.response().getStatusCode() == 401) {
                throttle.failed(REALM, user, address);
            }
        });
        ctx.next();
    }

    /** The user name of Basic credentials; null when there are none or they cannot be read. */
    private static String basicUser(String header) {
        try {
            return BasicCredentials.of(header).map(BasicCredentials::user).orElse(null);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
