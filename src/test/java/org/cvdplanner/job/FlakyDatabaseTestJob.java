package org.cvdplanner.job;

import java.sql.SQLTransientConnectionException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

/**
 * A test-only job that meets a database fault of the given kind in its first {@code faults}
 * runs (after saving a checkpoint) and then succeeds, reporting the checkpoint it resumed from.
 */
public class FlakyDatabaseTestJob implements JobHandler<FlakyDatabaseTestJob.Parameters> {

    static final String TYPE = "test-flaky-database";
    static final Map<UUID, Integer> RUNS = new ConcurrentHashMap<>();

    /** @param kind "connection" (transient) or "corrupt" (not transient) */
    record Parameters(int faults, String kind) {
    }

    @TestConfiguration(proxyBeanMethods = false)
    public static class Configuration {
        @Bean
        FlakyDatabaseTestJob flakyDatabaseTestJob() {
            return new FlakyDatabaseTestJob();
        }
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Class<Parameters> parametersType() {
        return Parameters.class;
    }

    @Override
    public JobResult run(Parameters parameters, JobContext context) {
        int run = RUNS.merge(context.jobId(), 1, Integer::sum);
        String resumedFrom = context.checkpoint().map(String::new).orElse("none");
        if (run <= parameters.faults()) {
            context.saveCheckpoint(("run " + run).getBytes());
            if ("connection".equals(parameters.kind())) {
                throw new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection",
                        new SQLTransientConnectionException("HikariPool-1 - Connection is not available", "08001"));
            }
            throw new DataAccessResourceFailureException("disk full (simulated, not transient)");
        }
        return new JobResult(Map.of("runs", run, "resumedFrom", resumedFrom));
    }
}
