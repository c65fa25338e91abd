package org.cvdplanner.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cvdplanner.testkit.TestHttp.await;
import static org.cvdplanner.job.JobTestSupport.status;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.cvdplanner.testkit.ServiceTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Faults that are not the job's: passing database errors, and a job that runs too long. */
@ServiceTest
class JobFaultTests {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    JobService jobs;
    @Autowired
    JobsProperties properties;

    @BeforeEach
    void clean() {
        JobTestSupport.cleanJobTables(jdbc);
    }

    @Test
    void passingDatabaseFaultsAreWaitedOutWithoutCountingAgainstMaxAttempts() {
        // more faults than maxAttempts: had each counted, the job would be FAILED
        int faults = properties.maxAttempts() + 1;
        UUID id = jobs.submit(FlakyDatabaseTestJob.TYPE, new FlakyDatabaseTestJob.Parameters(faults, "connection"), 1L, null).id();
        await("SUCCEEDED", Duration.ofSeconds(60), () -> "SUCCEEDED".equals(status(jdbc, id)));
        Map<String, Object> job = jdbc.queryForMap("select attempts, releases, result::text as result from job where id = ?", id);
        assertThat(job.get("attempts")).isEqualTo(faults + 1);
        assertThat(job.get("releases")).as("every faulted run handed back").isEqualTo(faults);
        assertThat((String) job.get("result")).contains("\"resumedFrom\": \"run " + faults + "\"");
    }

    @Test
    void aFaultThatDoesNotPassFailsTheJobAtOnce() {
        UUID id = jobs.submit(FlakyDatabaseTestJob.TYPE, new FlakyDatabaseTestJob.Parameters(1, "corrupt"), 1L, null).id();
        await("FAILED", Duration.ofSeconds(30), () -> "FAILED".equals(status(jdbc, id)));
        assertThat(jdbc.queryForObject("select error from job where id = ?", String.class, id)).contains("disk full");
        assertThat(jdbc.queryForObject("select attempts from job where id = ?", Integer.class, id)).isEqualTo(1);
    }

    @Test
    void aJobPastItsMaximumRuntimeStopsAtItsNextBoundaryAndFails() {
        UUID id = UUID.randomUUID();
        // first started longer ago than max-runtime allows (its earlier runs died)
        jdbc.update("insert into job (id, type, status, parameters, seed, request_hash, started_at) values "
                + "(?, 'diagnostic-counter', 'QUEUED', '{\"target\": 100000, \"stepDelayMs\": 10}', 1, 'x', now() - ?::interval)",
                id, (properties.maxRuntime().toSeconds() + 60) + " seconds");
        jdbc.update("insert into scheduled_tasks (task_name, task_instance, execution_time, picked, version)"
                + " values (?, ?, now(), false, 1)", JobTestSupport.QUEUE, id.toString());
        await("FAILED", Duration.ofSeconds(30), () -> "FAILED".equals(status(jdbc, id)));
        assertThat(jdbc.queryForObject("select error from job where id = ?", String.class, id))
                .contains("maximum runtime");
        assertThat(jdbc.queryForObject("select progress_done from job where id = ?", Long.class, id))
                .as("stopped early, not after counting to the end").isLessThan(100_000L);
    }
}
