package org.cvdplanner.security;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Access control ({@code cvd-planner.security.*}). See docs/security.md.
 *
 * @param enabled false lets every request through without a key; only for a closed network or
 *     a test, never the default
 * @param bootstrapAdminKey an admin key taken from configuration (e.g. a secret in the
 *     deployment), stored as its hash on start-up; at least 32 characters
 * @param firstRunAdminKey when the embedded database is used and no admin key exists yet, create
 *     one and log it once (the zero-configuration start needs a way in)
 * @param corsAllowedOrigins browser origins that may call the API from another site (none by
 *     default); requests carry the key in a header, never a cookie
 */
@ConfigurationProperties("cvd-planner.security")
record SecurityProperties(@DefaultValue("true") boolean enabled, String bootstrapAdminKey,
        @DefaultValue("true") boolean firstRunAdminKey, @DefaultValue List<String> corsAllowedOrigins) {
}
