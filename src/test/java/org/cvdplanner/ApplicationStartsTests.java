package org.cvdplanner;

import static org.assertj.core.api.Assertions.assertThat;

import org.cvdplanner.testkit.ServiceTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

@ServiceTest
class ApplicationStartsTests {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void startsOnRealPostgresWithMigrationsApplied() {
        assertThat(jdbc.queryForObject("select version()", String.class)).startsWith("PostgreSQL 16");
        assertThat(jdbc.queryForObject("select count(*) from flyway_schema_history where success", Integer.class))
                .isPositive();
    }
}
