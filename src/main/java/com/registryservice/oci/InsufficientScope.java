package com.registryservice.oci;

import com.registryservice.content.ContentError;

/**
 * A 401 {@code UNAUTHORIZED} whose Bearer challenge names the scope a request needs, so that a client of the token
 * flow asks the token endpoint for exactly that: for a request without credentials, and ({@code insufficient}) for
 * a bearer token that lacks the access, as {@code error="insufficient_scope"}.
 */
final class InsufficientScope extends ContentError {

    private final String scope;
    private final boolean insufficient;

    InsufficientScope(String message, String scope, boolean insufficient) {
        super(401, Code.UNAUTHORIZED, message);
        this.scope = scope;
        this.insufficient = insufficient;
    }

    String scope() {
        return scope;
    }

    boolean insufficient() {
        return insufficient;
    }
}
