package org.cvdplanner.security;

import java.util.List;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The way in: stores the configured bootstrap admin key; on the zero-configuration start
 * (embedded database) with no admin key yet, creates one and logs it once.
 */
@Component
@Order(0)
class FirstRunAdminKey implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(FirstRunAdminKey.class);
    static final int MIN_BOOTSTRAP_LENGTH = 32;

    private final SecurityProperties properties;
    private final ApiKeys keys;
    private final ObjectProvider<EmbeddedPostgres> embedded;
    private final Environment environment;

    FirstRunAdminKey(SecurityProperties properties, ApiKeys keys, ObjectProvider<EmbeddedPostgres> embedded,
            Environment environment) {
        this.properties = properties;
        this.keys = keys;
        this.embedded = embedded;
        this.environment = environment;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!properties.enabled()) {
            log.warn("Security is OFF (cvd-planner.security.enabled=false): anyone who reaches the port can do anything");
            return;
        }
        String bootstrap = properties.bootstrapAdminKey();
        if (bootstrap != null && !bootstrap.isBlank()) {
            if (bootstrap.length() < MIN_BOOTSTRAP_LENGTH) {
                throw new IllegalStateException("cvd-planner.security.bootstrap-admin-key must have at least "
                        + MIN_BOOTSTRAP_LENGTH + " characters");
            }
            keys.ensureStored("bootstrap", bootstrap, List.of(Scope.ADMIN));
            return;
        }
        createIfFirstRun(embedded.getIfAvailable() != null);
    }

    /** Creates and logs an admin key when this is a first run; returns it, or null. */
    IssuedApiKey createIfFirstRun(boolean embeddedDatabase) {
        if (keys.anyUsableAdminKey()) {
            return null;
        }
        if (!embeddedDatabase || !properties.firstRunAdminKey()) {
            log.warn("No admin API key exists: set cvd-planner.security.bootstrap-admin-key (at least {} characters) "
                    + "to create keys over /api/v1/api-keys", MIN_BOOTSTRAP_LENGTH);
            return null;
        }
        IssuedApiKey key = keys.issue("first-run admin", List.of(Scope.ADMIN), null);
        log.warn("""

                ================================================================================
                First run: an admin API key was created. It is shown only now; the service keeps
                only its hash. Use it as a header, or in Swagger UI's "Authorize" button:
                    curl -H 'Authorization: Bearer {}' http://localhost:{}/api/v1/datasets
                Create narrower keys (read, write, train) with POST /api/v1/api-keys.
                ================================================================================""",
                key.key(), environment.getProperty("local.server.port", "8080"));
        return key;
    }
}
