package org.cvdplanner.security;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** A stored API key: everything but the key itself, which is never stored. */
record ApiKeyRecord(UUID id, String name, String prefix, Set<Scope> scopes, Instant createdAt, Instant lastUsedAt,
        Instant expiresAt, Instant revokedAt, boolean bootstrap) {

    boolean revoked() {
        return revokedAt != null;
    }

    boolean expired(Instant now) {
        return expiresAt != null && !expiresAt.isAfter(now);
    }
}
