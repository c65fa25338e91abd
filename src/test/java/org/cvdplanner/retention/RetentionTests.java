package org.cvdplanner.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.cvdplanner.testkit.ServiceTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Retention against the real database (same context as the upload tests). */
@ServiceTest
class RetentionTests {

    @Autowired
    Retention retention;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    RetentionProperties properties;

    UUID job(String status, String finishedAgo) {
        UUID id = UUID.randomUUID();
        jdbc.update("insert into job (id, type, status, parameters, seed, request_hash, finished_at) values "
                + "(?, 'retention-test', ?, '{}', 1, 'x', now() - ?::interval)", id, status, finishedAgo);
        jdbc.update("insert into job_metric (job_id, name, step, value, recorded_at) values (?, 'loss', 1, 0.5, now() - ?::interval)",
                id, finishedAgo);
        jdbc.update("insert into job_checkpoint (job_id, attempt, data) values (?, 1, ?)", id, new byte[] {1, 2, 3});
        return id;
    }

    int count(String table, String column, UUID id) {
        return jdbc.queryForObject("select count(*) from " + table + " where " + column + " = ?", Integer.class, id);
    }

    @Test
    void finishedJobsGoAfterTheirPeriodWithMetricsAndCheckpointsAndRunningOnesStay() {
        String old = (properties.finishedJobs().toDays() + 1) + " days";
        UUID oldSucceeded = job("SUCCEEDED", old);
        UUID oldFailed = job("FAILED", old);
        UUID recent = job("CANCELLED", "1 hour");
        UUID running = job("RUNNING", old);
        try {
            Map<String, Integer> deleted = retention.cleanUp(Instant.now());
            assertThat(deleted.get("jobs")).isGreaterThanOrEqualTo(2);
            assertThat(count("job", "id", oldSucceeded) + count("job", "id", oldFailed)).isZero();
            assertThat(count("job_metric", "job_id", oldSucceeded)).isZero();
            assertThat(count("job", "id", recent)).isEqualTo(1);
            assertThat(count("job_metric", "job_id", recent)).as("recent metrics kept").isEqualTo(1);
            assertThat(count("job_checkpoint", "job_id", recent)).as("a finished job never resumes").isZero();
            assertThat(count("job", "id", running)).isEqualTo(1);
            assertThat(count("job_checkpoint", "job_id", running)).as("a running job keeps its checkpoint").isEqualTo(1);
        } finally {
            jdbc.update("delete from job where type = 'retention-test'");
        }
    }
}
