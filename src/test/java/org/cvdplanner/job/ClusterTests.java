package org.cvdplanner.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cvdplanner.testkit.TestHttp.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.cvdplanner.CvdPlannerApplication;
import org.cvdplanner.TestDatabase;
import org.cvdplanner.testkit.ServiceTest;
import org.cvdplanner.testkit.TestHttp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Two instances on one database: the test's context ("tests-a") and a second application
 * context ("tests-b") on the same PostgreSQL and queue.
 */
@ServiceTest
class ClusterTests {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    JobSubmitter submitter;

    @Autowired
    JobEngine engine;

    @LocalServerPort
    int port;

    @BeforeEach
    void setUp() {
        JobTestSupport.freeTheEngine(jdbc, TestHttp.at(port), engine);
        JobTestSupport.cleanJobTables(jdbc);
        RecordingTestJob.reset();
    }

    private static ConfigurableApplicationContext secondInstance() {
        var db = TestDatabase.connectionDetails();
        return new SpringApplicationBuilder(CvdPlannerApplication.class, RecordingTestJob.Configuration.class)
                .properties(Map.of(
                        "spring.datasource.url", db.getJdbcUrl(),
                        "spring.datasource.username", db.getUsername(),
                        "spring.datasource.password", db.getPassword(),
                        "cvd-planner.embedded-database.enabled", "false",
                        "cvd-planner.jobs.queue", JobTestSupport.QUEUE,
                        "cvd-planner.jobs.instance-name", "tests-b",
                        "cvd-planner.jobs.polling-interval", "200ms",
                        "cvd-planner.jobs.heartbeat-interval", "1s",
                        "cvd-planner.jobs.missed-heartbeats", "4"))
                .properties(Map.of(
                        "cvd-planner.jobs.cancel-check-interval", "200ms",
                        "cvd-planner.jobs.progress-write-interval", "100ms",
                        "cvd-planner.jobs.shutdown-wait", "10s",
                        "spring.main.banner-mode", "off"))
                // a command-line argument: as a default property it lost to application.yml's
                // ${PORT:8080}, so the second instance took port 8080
                .run("--server.port=0");
    }

    @Test
    void twoInstancesRunTwoHundredJobsEachExactlyOnce() {
        List<UUID> ids = new ArrayList<>();
        try (ConfigurableApplicationContext second = secondInstance()) {
            for (int i = 0; i < 200; i++) {
                ids.add(submitter.submit(RecordingTestJob.TYPE, new RecordingTestJob.Parameters(20), null, null).id());
            }
            await("200 jobs finished", Duration.ofSeconds(120), () -> jdbc.queryForObject(
                    "select count(*) from job where type = ? and status in ('SUCCEEDED', 'FAILED', 'CANCELLED')",
                    Integer.class, RecordingTestJob.TYPE) == 200);
        }
        assertThat(jdbc.queryForObject("select count(*) from job where type = ? and status = 'SUCCEEDED' and attempts = 1",
                Integer.class, RecordingTestJob.TYPE)).isEqualTo(200);
        // counted by the handler itself, outside the engine's bookkeeping
        assertThat(RecordingTestJob.RUNS).hasSize(200);
        assertThat(RecordingTestJob.RUNS.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(RecordingTestJob.RUNS.values()).allSatisfy(runs -> assertThat(runs.get()).isEqualTo(1));
        assertThat(RecordingTestJob.OVERLAPS.get()).isZero();
        List<Map<String, Object>> perInstance = jdbc.queryForList(
                "select instance, count(*) as jobs from job where type = ? group by instance order by instance",
                RecordingTestJob.TYPE);
        System.out.println("jobs per instance: " + perInstance);
        assertThat(perInstance).extracting(row -> row.get("instance")).containsExactly("tests-a", "tests-b");
        assertThat(jdbc.queryForObject("select count(*) from scheduled_tasks where task_name = ? and task_instance in"
                + " (select id::text from job where type = ?)", Integer.class, JobTestSupport.QUEUE, RecordingTestJob.TYPE))
                .isZero();
    }

    @Test
    void gracefulShutdownCheckpointsRunningJobsAndHandsThemToTheOtherInstance() {
        List<UUID> ids = new ArrayList<>();
        List<String> onB = new ArrayList<>();
        ConfigurableApplicationContext second = secondInstance();
        try {
            for (int i = 0; i < 4; i++) {
                ids.add(submitter.submit(DiagnosticCounterJob.TYPE, new DiagnosticCounterJob.Parameters(80L, 50L, 1000L, null),
                        1000L + i, null).id());
            }
            // two per instance (concurrency 2 each)
            await("four running on two instances", Duration.ofSeconds(30), () -> jdbc.queryForObject(
                    "select count(*) from job where type = 'diagnostic-counter' and status = 'RUNNING' and progress_done > 5", Integer.class) == 4);
            onB.addAll(jdbc.queryForList("select id::text from job where instance = 'tests-b'", String.class));
            assertThat(onB).hasSize(2);
        } finally {
            long start = System.nanoTime();
            second.close();
            System.out.printf("second instance closed in %d ms%n", (System.nanoTime() - start) / 1_000_000);
        }
        for (String id : onB) {
            Map<String, Object> row = jdbc.queryForMap("select status, releases, instance, progress_done from job where id = ?::uuid", id);
            assertThat(row.get("releases")).as("handed back, not left to dead-detection").isEqualTo(1);
            byte[] checkpoint = jdbc.queryForObject("select data from job_checkpoint where job_id = ?::uuid", byte[].class, id);
            // checkpointEvery is 1000 > target: the only checkpoint is the one saved when asked to stop
            assertThat(DiagnosticCounterJob.checkpointCount(checkpoint)).isPositive();
        }
        await("all four succeeded", Duration.ofSeconds(60), () -> jdbc.queryForObject(
                "select count(*) from job where type = 'diagnostic-counter' and status = 'SUCCEEDED'", Integer.class) == 4);
        for (int i = 0; i < 4; i++) {
            Map<String, Object> row = jdbc.queryForMap("select instance, attempts, result::text as result from job where id = ?", ids.get(i));
            var result = TestHttp.JSON.readTree((String) row.get("result"));
            assertThat(result.get("checksum").asString()).isEqualTo(DiagnosticCounterJob.expectedChecksum(1000L + i, 80));
            assertThat(row.get("instance")).isEqualTo("tests-a");
            if (onB.contains(ids.get(i).toString())) {
                assertThat(row.get("attempts")).isEqualTo(2);
                assertThat(result.get("resumedFrom").asLong()).as("resumed from the shutdown checkpoint").isPositive();
            } else {
                assertThat(row.get("attempts")).isEqualTo(1);
            }
        }
    }
}
