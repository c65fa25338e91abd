package org.cvdplanner.security;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.swagger.v3.oas.annotations.media.Schema;

/** A key just created: the only time the key itself is shown. */
public record IssuedApiKey(UUID id, String name, List<String> scopes,
        @Schema(description = "The key. Shown only now: store it; the service keeps only its hash.") String key,
        String prefix, Instant createdAt, Instant expiresAt) {
}
