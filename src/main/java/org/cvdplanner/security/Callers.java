package org.cvdplanner.security;

import java.util.Optional;
import java.util.UUID;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** Who is calling: for features that keep per-key state (idempotency keys, quotas). */
public final class Callers {

    private Callers() {
    }

    /** The id of the API key of the current request; empty when security is off or the request is anonymous. */
    public static Optional<UUID> currentApiKeyId() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication instanceof ApiKeyAuthentication key) {
            return Optional.of(key.getPrincipal().id());
        }
        return Optional.empty();
    }
}
