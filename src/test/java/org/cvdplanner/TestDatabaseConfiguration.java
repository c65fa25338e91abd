package org.cvdplanner;

import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Import into every test that needs the database: {@code @Import(TestDatabaseConfiguration.class)}
 * (slices also need {@code @AutoConfigureTestDatabase(replace = NONE)}).
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestDatabaseConfiguration {

    @Bean
    JdbcConnectionDetails testDatabaseConnectionDetails() {
        return TestDatabase.connectionDetails();
    }
}
