package org.cvdplanner;

import java.io.IOException;
import java.io.UncheckedIOException;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The one real PostgreSQL of a test JVM, chosen once: the server named by
 * {@code CVD_TEST_DATABASE_URL} (with {@code CVD_TEST_DATABASE_USER/PASSWORD}) if set; else a
 * Testcontainers PostgreSQL 16 when a Docker engine answers; else an embedded PostgreSQL 16
 * (io.zonky.test). Never skipped, never H2: if none of these can start, tests fail.
 */
public final class TestDatabase {

    private static final Logger log = LoggerFactory.getLogger(TestDatabase.class);
    private static JdbcConnectionDetails details;

    private TestDatabase() {
    }

    public static synchronized JdbcConnectionDetails connectionDetails() {
        if (details == null) {
            details = start();
        }
        return details;
    }

    /** Plain JDBC on the test database, for tests without a Spring context (one connection per call). */
    public static JdbcTemplate jdbcTemplate() {
        JdbcConnectionDetails db = connectionDetails();
        return new JdbcTemplate(new DriverManagerDataSource(db.getJdbcUrl(), db.getUsername(), db.getPassword()));
    }

    private static JdbcConnectionDetails start() {
        String url = System.getenv("CVD_TEST_DATABASE_URL");
        if (url != null && !url.isBlank()) {
            log.info("Tests use the external PostgreSQL at {}", url);
            return of(url, env("CVD_TEST_DATABASE_USER", "postgres"), env("CVD_TEST_DATABASE_PASSWORD", "postgres"));
        }
        if (dockerAvailable()) {
            PostgreSQLContainer container = new PostgreSQLContainer("postgres:16-alpine");
            container.start();
            log.info("Tests use a Testcontainers PostgreSQL at {}", container.getJdbcUrl());
            return of(container.getJdbcUrl(), container.getUsername(), container.getPassword());
        }
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder().setServerConfig("max_connections", "200").start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // the JVM is going away
                }
            }));
            log.info("No Docker engine: tests use an embedded PostgreSQL on port {}", postgres.getPort());
            return of(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "postgres");
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded PostgreSQL for tests", e);
        }
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static JdbcConnectionDetails of(String url, String user, String password) {
        return new JdbcConnectionDetails() {
            @Override
            public String getUsername() {
                return user;
            }

            @Override
            public String getPassword() {
                return password;
            }

            @Override
            public String getJdbcUrl() {
                return url;
            }
        };
    }
}
