package org.cvdplanner.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.cvdplanner.testkit.Concurrently;
import org.cvdplanner.testkit.ServiceTest;
import org.cvdplanner.testkit.TestHttp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/** Idempotency-Key: the same key and body give the same job, even when sent 16 times at once. */
@ServiceTest
class IdempotencyTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    JobSubmitter submitter;

    TestHttp http;

    @BeforeEach
    void setUp() {
        http = TestHttp.at(port);
        JobTestSupport.cleanJobTables(jdbc);
    }

    @Test
    void sixteenConcurrentSubmissionsWithOneKeyCreateOneJob() throws Exception {
        String body = "{\"target\": 3, \"stepDelayMs\": 1, \"seed\": 7}";
        int threads = 16;
        List<TestHttp.Response> responses = Concurrently.run(threads,
                () -> http.post("/api/v1/jobs/diagnostic-counter", body, "lims-run-0001"));
        assertThat(responses).allSatisfy(r -> assertThat(r.status()).as(r.body()).isEqualTo(202));
        Set<String> ids = responses.stream().map(r -> r.json().get("id").asString()).collect(Collectors.toSet());
        assertThat(ids).hasSize(1);
        assertThat(responses).allSatisfy(r -> assertThat(r.header("Location")).isEqualTo("/api/v1/jobs/" + ids.iterator().next()));
        assertThat(jdbc.queryForObject("select count(*) from job where type = ?", Integer.class, DiagnosticCounterJob.TYPE))
                .isEqualTo(1);
        UUID id = jdbc.queryForObject("select id from job where type = ?", UUID.class, DiagnosticCounterJob.TYPE);
        // one execution, or none because the job has already finished (its execution row is removed
        // a moment after the job row says SUCCEEDED, so count first, then read the status)
        int executions = jdbc.queryForObject("select count(*) from scheduled_tasks where task_instance = ?", Integer.class,
                id.toString());
        String status = JobTestSupport.status(jdbc, id);
        assertThat(executions).as("executions of the one job").isBetween(0, 1);
        if (executions == 0) {
            assertThat(status).as("no execution left, so the job must have finished").isEqualTo("SUCCEEDED");
        }
        assertThat(jdbc.queryForObject("select count(*) from scheduled_tasks where task_name = ? and task_instance in"
                + " (select id::text from job where type = ?) and task_instance <> ?", Integer.class, JobTestSupport.QUEUE,
                DiagnosticCounterJob.TYPE, id.toString())).as("executions of other counter jobs").isZero();
        // and exactly one: the job runs to its end once
        TestHttp.await("the job to succeed", java.time.Duration.ofSeconds(60),
                () -> "SUCCEEDED".equals(JobTestSupport.status(jdbc, id)));
        assertThat(jdbc.queryForObject("select attempts from job where id = ?", Integer.class, id))
                .as("attempts of the one job").isEqualTo(1);
    }

    @Test
    void sameKeyAndEquivalentBodyReturnsTheSameJobAndAnotherBodyIsA422() {
        var first = http.post("/api/v1/jobs/diagnostic-counter", "{\"target\": 3, \"stepDelayMs\": 1}", "key-1");
        // the same request with the fields in another order and a default spelled out
        var again = http.post("/api/v1/jobs/diagnostic-counter",
                "{\"stepDelayMs\": 1, \"target\": 3, \"checkpointEvery\": 10}", "key-1");
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.json().get("id").asString()).isEqualTo(first.json().get("id").asString());
        assertThat(again.json().get("seed").asLong()).as("the drawn seed is stored and returned").isEqualTo(first.json().get("seed").asLong());

        var other = http.post("/api/v1/jobs/diagnostic-counter", "{\"target\": 4, \"stepDelayMs\": 1}", "key-1");
        assertThat(other.status()).isEqualTo(422);
        assertThat(other.json().get("type").asString()).endsWith("/idempotency-key-reused");
        var otherSeed = http.post("/api/v1/jobs/diagnostic-counter", "{\"target\": 3, \"stepDelayMs\": 1, \"seed\": 5}", "key-1");
        assertThat(otherSeed.status()).isEqualTo(422);

        var noKey = http.post("/api/v1/jobs/diagnostic-counter", "{\"target\": 3, \"stepDelayMs\": 1}", null);
        assertThat(noKey.json().get("id").asString()).isNotEqualTo(first.json().get("id").asString());
        assertThat(http.post("/api/v1/jobs/diagnostic-counter", "{\"target\": 3}", " ".repeat(3)).status()).isEqualTo(400);
        assertThat(jdbc.queryForObject("select count(*) from job where type = 'diagnostic-counter'", Integer.class)).isEqualTo(2);
    }

    @Test
    void theSubmitterUsedByOtherFeaturesHonoursTheKeyAcrossTypes() {
        SubmittedJob job = submitter.submit(DiagnosticCounterJob.TYPE,
                new DiagnosticCounterJob.Parameters(2L, 1L, null, null), 11L, "feature-key");
        assertThat(job.location().toString()).isEqualTo("/api/v1/jobs/" + job.id());
        assertThat(job.seed()).isEqualTo(11L);
        assertThat(submitter.submit(DiagnosticCounterJob.TYPE, new DiagnosticCounterJob.Parameters(2L, 1L, 10L, null), 11L,
                "feature-key").id()).isEqualTo(job.id());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> submitter.submit(RecordingTestJob.TYPE,
                new RecordingTestJob.Parameters(1), 11L, "feature-key")).isInstanceOf(IdempotencyKeyReusedException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> submitter.submit("no-such-type", "x", null, null))
                .isInstanceOf(InvalidJobParametersException.class);
    }
}
