package com.registryservice.token;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A token as stored: its credentials' user name and password hash, what it may do, until when, and who made it. */
public record Token(UUID id, UUID registryId, String name, String username, String passwordHash, Instant expiryDate,
        String status, List<Scope> scopes, Audit audit) {

    /** Who created and last changed the token, and when. */
    public record Audit(String createdBy, String createdByUserId, Instant createdDate, String lastModifiedBy,
            String lastModifiedByUserId, Instant lastModifiedDate) {
    }

    /** Whether the token may be used now: enabled and not expired. */
    public boolean usableAt(Instant now) {
        return "enabled".equals(status) && (expiryDate == null || expiryDate.isAfter(now));
    }

    /** Whether any of its scopes grants {@code action} on {@code repository}. */
    public boolean allows(String repository, String action) {
        return scopes.stream().anyMatch(scope -> scope.allows(repository, action));
    }
}
