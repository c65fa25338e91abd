package org.cvdplanner.system;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the embedded PostgreSQL started when no datasource is configured.
 *
 * @param enabled set false to fail instead of starting one when no URL is given
 * @param dataDirectory where its data lives; survives restarts
 * @param port its TCP port on localhost (0 picks a free one)
 */
@ConfigurationProperties("cvd-planner.embedded-database")
record EmbeddedDatabaseProperties(@DefaultValue("true") boolean enabled,
        @DefaultValue("./data/postgres") Path dataDirectory, @DefaultValue("0") int port) {
}
