package org.cvdplanner.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cvdplanner.testkit.TestHttp.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.cvdplanner.TestDatabase;
import org.cvdplanner.testkit.ServiceProcesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The crash test: the service runs as a separate JVM, gets a checkpointing job over HTTP, is
 * killed with SIGKILL mid-way and started again. The job must finish, resumed from its last
 * checkpoint, with nothing else in the database changed.
 */
class KillTests {

    static final String QUEUE = "job-tests-kill";

    private final JdbcTemplate jdbc = TestDatabase.jdbcTemplate();
    private final ServiceProcesses services = new ServiceProcesses(List.of("-XX:TieredStopAtLevel=1"),
            "--cvd-planner.jobs.queue=" + QUEUE,
            "--cvd-planner.jobs.polling-interval=200ms",
            "--cvd-planner.jobs.heartbeat-interval=1s",
            "--cvd-planner.jobs.missed-heartbeats=4",
            "--cvd-planner.jobs.progress-write-interval=100ms");

    @AfterEach
    void stopProcesses() throws InterruptedException {
        services.close();
    }

    @Test
    void killedServiceResumesTheJobFromItsCheckpointAfterRestart() throws Exception {
        int port = ServiceProcesses.freePort();
        ServiceProcesses.Instance first = services.start("kill-a", port);
        Map<String, String> before = bystanders();

        var submitted = first.http().post("/api/v1/jobs/diagnostic-counter",
                "{\"target\": 100, \"stepDelayMs\": 100, \"checkpointEvery\": 10, \"seed\": 99}", "kill-test-" + UUID.randomUUID());
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        UUID id = UUID.fromString(submitted.json().get("id").asString());

        await("the job past its third checkpoint", Duration.ofSeconds(60), () -> progress(id) >= 35);
        first.kill(); // SIGKILL: no shutdown hook, no hand-over
        long killedAt = System.nanoTime();

        long doneAtKill = progress(id);
        byte[] checkpoint = jdbc.queryForObject("select data from job_checkpoint where job_id = ?", byte[].class, id);
        long checkpointCount = DiagnosticCounterJob.checkpointCount(checkpoint);
        assertThat(checkpointCount).isBetween(30L, 90L).isLessThanOrEqualTo(doneAtKill);
        assertThat(JobTestSupport.status(jdbc, id)).as("the dead run still looks RUNNING").isEqualTo("RUNNING");

        ServiceProcesses.Instance second = services.start("kill-b", port);
        await("the job resumed", Duration.ofSeconds(60),
                () -> jdbc.queryForObject("select attempts from job where id = ?", Integer.class, id) == 2);
        long resumedAfterMs = (System.nanoTime() - killedAt) / 1_000_000;
        await("the job finished", Duration.ofSeconds(60), () -> JobTestSupport.status(jdbc, id).matches("SUCCEEDED|FAILED|CANCELLED"));

        JsonNode job = second.http().get("/api/v1/jobs/" + id).json();
        System.out.printf("kill test: killed at count %d (checkpoint %d), resumed %d ms after the kill (incl. JVM start)%n",
                doneAtKill, checkpointCount, resumedAfterMs);
        assertThat(job.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("attempts").asInt()).isEqualTo(2);
        assertThat(job.get("instance").asString()).isEqualTo("kill-b");
        assertThat(job.get("result").get("count").asLong()).isEqualTo(100);
        // resumed from the checkpoint, not from zero and not from the lost progress after it
        assertThat(job.get("result").get("resumedFrom").asLong()).isEqualTo(checkpointCount);
        JsonNode resumedFrom = job.get("metrics").get("resumedFrom");
        assertThat(resumedFrom.get(0).get("step").asLong()).isZero();
        assertThat(resumedFrom.get(0).get("value").asDouble()).isZero();
        assertThat(resumedFrom.get(1).get("step").asLong()).isEqualTo(1);
        assertThat(resumedFrom.get(1).get("value").asDouble()).isEqualTo((double) checkpointCount);
        // every step counted exactly once across the two runs
        assertThat(job.get("result").get("checksum").asString()).isEqualTo(DiagnosticCounterJob.expectedChecksum(99, 100));
        assertThat(bystanders()).as("no other data changed").isEqualTo(before);
        assertThat(jdbc.queryForObject("select count(*) from scheduled_tasks where task_instance = ?", Integer.class,
                id.toString())).isZero();

        second.process().destroy(); // SIGTERM: graceful
        assertThat(second.process().waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    }

    /** Rows the test does not touch: a dataset with a profile, a finished job, a job queued elsewhere. */
    private Map<String, String> bystanders() {
        if (jdbc.queryForObject("select count(*) from dataset where name = 'kill-test bystander'", Integer.class) == 0) {
            Long dataset = jdbc.queryForObject("insert into dataset (name) values ('kill-test bystander') returning id", Long.class);
            jdbc.update("insert into profile (dataset_id, external_id, temperature_k, s2, h2, h2s, phase_2h, phase_1t, phase_defect,"
                    + " content_hash) values (?, 'p1', '{1000,2000}', '{100,100}', '{100,100}', '{100,100}', '{0,0.5}',"
                    + " '{0,0.1}', '{1,0.4}', '\\x01')", dataset);
            UUID done = UUID.randomUUID();
            jdbc.update("insert into job (id, type, status, parameters, seed, request_hash, result, attempts, finished_at)"
                    + " values (?, 'diagnostic-counter', 'SUCCEEDED', '{\"target\": 1}', 1, 'h', '{\"count\": 1}', 1, now())", done);
            jdbc.update("insert into job_checkpoint (job_id, attempt, data) values (?, 1, '\\x00')", done);
            jdbc.update("insert into job_metric (job_id, name, step, value) values (?, 'resumedFrom', 0, 0)", done);
            UUID queued = UUID.randomUUID();
            jdbc.update("insert into job (id, type, status, parameters, seed, request_hash) values"
                    + " (?, 'diagnostic-counter', 'QUEUED', '{\"target\": 1}', 1, 'h')", queued);
            jdbc.update("insert into scheduled_tasks (task_name, task_instance, execution_time, picked, version)"
                    + " values ('job-tests-elsewhere', ?, now(), false, 1)", queued.toString());
        }
        return Map.of(
                "datasets", digest("select d.*, p.* from dataset d join profile p on p.dataset_id = d.id where d.name = 'kill-test bystander'"),
                "jobs", digest("select * from job where request_hash = 'h'"),
                "checkpoints", digest("select c.* from job_checkpoint c join job j on j.id = c.job_id where j.request_hash = 'h'"),
                "metrics", digest("select m.job_id, m.name, m.step, m.value from job_metric m join job j on j.id = m.job_id where j.request_hash = 'h'"),
                "executions", digest("select * from scheduled_tasks where task_name = 'job-tests-elsewhere'"));
    }

    private String digest(String query) {
        return jdbc.queryForObject("select count(*) || ':' || coalesce(md5(string_agg(t::text, ',' order by t::text)), '')"
                + " from (" + query + ") t", String.class);
    }

    private long progress(UUID id) {
        Long done = jdbc.queryForObject("select progress_done from job where id = ?", Long.class, id);
        return done == null ? 0 : done;
    }
}
