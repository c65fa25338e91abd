package org.cvdplanner.job;

import java.time.Duration;
import java.util.UUID;

import org.cvdplanner.testkit.ServiceTest;
import org.cvdplanner.testkit.TestHttp;
import org.springframework.jdbc.core.JdbcTemplate;

/** Database helpers of the job tests (HTTP and polling: {@link TestHttp}). */
final class JobTestSupport {

    static final String QUEUE = ServiceTest.QUEUE;

    private JobTestSupport() {
    }

    static String status(JdbcTemplate jdbc, UUID id) {
        return jdbc.queryForObject("select status from job where id = ?", String.class, id);
    }

    /**
     * Cancels every queued or running job and waits until the engine runs none: the engine is
     * shared with the other test classes, and these tests count on both of its slots.
     */
    static void freeTheEngine(JdbcTemplate jdbc, TestHttp http, JobEngine engine) {
        for (UUID id : jdbc.queryForList("select id from job where status in ('QUEUED','RUNNING')", UUID.class)) {
            http.post("/api/v1/jobs/" + id + "/cancel", null);
        }
        TestHttp.await("no job running", Duration.ofSeconds(30), () -> engine.runningCount() == 0);
    }

    /** Removes the jobs of the job tests (committed data) and their executions. */
    static void cleanJobTables(JdbcTemplate jdbc) {
        // let running jobs stop first, so no run loses its rows under its feet
        jdbc.update("update job set cancel_requested = true where status in ('QUEUED', 'RUNNING') and type in (?, ?, ?)",
                DiagnosticCounterJob.TYPE, RecordingTestJob.TYPE, FlakyDatabaseTestJob.TYPE);
        TestHttp.await("running test jobs to stop", Duration.ofSeconds(20), () -> jdbc.queryForObject(
                "select count(*) from job where status = 'RUNNING' and type in (?, ?, ?)", Integer.class,
                DiagnosticCounterJob.TYPE, RecordingTestJob.TYPE, FlakyDatabaseTestJob.TYPE) == 0);
        jdbc.update("delete from scheduled_tasks where task_name like 'job-test%' or task_instance in"
                + " (select id::text from job where type in (?, ?, ?))", DiagnosticCounterJob.TYPE, RecordingTestJob.TYPE,
                FlakyDatabaseTestJob.TYPE);
        jdbc.update("delete from job where type in (?, ?, ?)", DiagnosticCounterJob.TYPE, RecordingTestJob.TYPE,
                FlakyDatabaseTestJob.TYPE);
    }
}
