package org.cvdplanner.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cvdplanner.testkit.TestHttp.await;
import static org.cvdplanner.job.JobTestSupport.status;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.cvdplanner.testkit.ServiceTest;
import org.cvdplanner.testkit.TestHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/** The job API against a real server and PostgreSQL: submit, follow, cancel, list, errors. */
@ServiceTest
class JobApiTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    JobEngine engine;

    TestHttp http;

    @BeforeEach
    void setUp() {
        http = TestHttp.at(port);
        JobTestSupport.freeTheEngine(jdbc, http, engine);
        JobTestSupport.cleanJobTables(jdbc);
    }

    @AfterEach
    void cancelLeftovers() {
        JobTestSupport.freeTheEngine(jdbc, http, engine);
    }

    private UUID submitCounter(String body) {
        TestHttp.Response r = http.post("/api/v1/jobs/diagnostic-counter", body, null);
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        return UUID.fromString(r.json().get("id").asString());
    }

    @Test
    void submittedCounterReportsProgressOverServerSentEventsAndSucceeds() throws Exception {
        TestHttp.Response submitted = http.post("/api/v1/jobs/diagnostic-counter",
                "{\"target\": 40, \"stepDelayMs\": 25, \"checkpointEvery\": 10, \"seed\": 42}", null);
        assertThat(submitted.status()).isEqualTo(202);
        UUID id = UUID.fromString(submitted.json().get("id").asString());
        assertThat(submitted.header("Location")).isEqualTo("/api/v1/jobs/" + id);
        assertThat(submitted.json().get("status").asString()).isEqualTo("QUEUED");
        assertThat(submitted.json().get("seed").asLong()).isEqualTo(42);

        List<String> events = new ArrayList<>();
        List<Long> progress = new ArrayList<>();
        HttpResponse<java.io.InputStream> stream = http.open(http.request("/api/v1/jobs/" + id + "/events")
                .timeout(Duration.ofSeconds(30)).GET().build());
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        String lastStatus = null;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            String event = null;
            String line;
            // the stream ends by itself once the job is terminal
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("event:")) {
                    event = line.substring(6).trim();
                    events.add(event);
                } else if (line.startsWith("data:")) {
                    JsonNode data = TestHttp.JSON.readTree(line.substring(5));
                    if ("progress".equals(event)) {
                        progress.add(data.get("done").asLong());
                    } else if ("status".equals(event)) {
                        lastStatus = data.get("status").asString();
                    }
                }
            }
        }
        assertThat(lastStatus).isEqualTo("SUCCEEDED");
        assertThat(events).contains("status", "progress", "metric");
        assertThat(progress).isSorted().last().isEqualTo(40L);
        assertThat(progress.size()).as("several progress updates, not just the end: %s", progress).isGreaterThan(3);

        JsonNode job = http.get("/api/v1/jobs/" + id).json();
        assertThat(job.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("type").asString()).isEqualTo("diagnostic-counter");
        assertThat(job.get("parameters").get("target").asLong()).isEqualTo(40);
        assertThat(job.get("progress").get("done").asLong()).isEqualTo(40);
        assertThat(job.get("progress").get("fraction").asDouble()).isEqualTo(1.0);
        assertThat(job.get("result").get("count").asLong()).isEqualTo(40);
        assertThat(job.get("result").get("checksum").asString()).isEqualTo(DiagnosticCounterJob.expectedChecksum(42, 40));
        assertThat(job.get("attempts").asInt()).isEqualTo(1);
        assertThat(job.get("instance").asString()).isEqualTo("tests-a");
        assertThat(job.get("metrics").get("resumedFrom").get(0).get("value").asDouble()).isZero();
        assertThat(job.get("startedAt").isNull()).isFalse();
        assertThat(job.get("finishedAt").isNull()).isFalse();
        assertThat(jdbc.queryForObject("select count(*) from job_checkpoint where job_id = ?", Integer.class, id))
                .as("a succeeded job never resumes: its checkpoint is dropped").isZero();
        assertThat(jdbc.queryForObject("select count(*) from scheduled_tasks where task_instance = ?", Integer.class,
                id.toString())).as("execution removed").isZero();
    }

    @Test
    void failingJobIsFailedWithItsMessageAndNoStackTrace() {
        UUID id = submitCounter("{\"target\": 10, \"stepDelayMs\": 1, \"failAt\": 5}");
        await("FAILED", Duration.ofSeconds(20), () -> "FAILED".equals(status(jdbc, id)));
        JsonNode job = http.get("/api/v1/jobs/" + id).json();
        assertThat(job.get("error").asString())
                .isEqualTo("IllegalStateException: diagnostic failure requested at count 5")
                .doesNotContain("\tat ");
        assertThat(job.get("progress").get("done").asLong()).isEqualTo(4);
        assertThat(job.get("attempts").asInt()).as("a handler failure is not retried").isEqualTo(1);
    }

    @Test
    void queuedJobIsCancelledAtOnceAndRunningJobsStopAtTheNextBoundary() {
        // concurrency is 2: two slow counters occupy the instance, the third waits QUEUED
        UUID first = submitCounter("{\"target\": 100000, \"stepDelayMs\": 50}");
        UUID second = submitCounter("{\"target\": 100000, \"stepDelayMs\": 50}");
        await("two running", Duration.ofSeconds(20),
                () -> "RUNNING".equals(status(jdbc, first)) && "RUNNING".equals(status(jdbc, second)));
        UUID queued = submitCounter("{\"target\": 10, \"stepDelayMs\": 1}");
        sleep(600); // three polling intervals: it stays queued, no free thread
        assertThat(status(jdbc, queued)).isEqualTo("QUEUED");

        TestHttp.Response cancelled = http.post("/api/v1/jobs/" + queued + "/cancel", null, null);
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.json().get("status").asString()).isEqualTo("CANCELLED");
        assertThat(jdbc.queryForObject("select count(*) from scheduled_tasks where task_instance = ?", Integer.class,
                queued.toString())).isZero();
        // idempotent
        assertThat(http.post("/api/v1/jobs/" + queued + "/cancel", null, null).status()).isEqualTo(200);

        long start = System.nanoTime();
        TestHttp.Response stopping = http.post("/api/v1/jobs/" + first + "/cancel", null, null);
        assertThat(stopping.status()).isEqualTo(202);
        assertThat(stopping.json().get("cancelRequested").asBoolean()).isTrue();
        await("first cancelled", Duration.ofSeconds(5), () -> "CANCELLED".equals(status(jdbc, first)));
        Duration stopTime = Duration.ofNanos(System.nanoTime() - start);
        assertThat(stopTime).isLessThan(Duration.ofSeconds(3));
        assertThat(status(jdbc, second)).isEqualTo("RUNNING");
        // the counter checkpoints when asked to stop
        long done = jdbc.queryForObject("select progress_done from job where id = ?", Long.class, first);
        byte[] checkpoint = jdbc.queryForObject("select data from job_checkpoint where job_id = ?", byte[].class, first);
        assertThat(DiagnosticCounterJob.checkpointCount(checkpoint)).isEqualTo(done);
        assertThat(http.post("/api/v1/jobs/" + first + "/cancel", null, null).status()).isEqualTo(200);

        http.post("/api/v1/jobs/" + second + "/cancel", null, null);
        await("second cancelled", Duration.ofSeconds(5), () -> "CANCELLED".equals(status(jdbc, second)));
    }

    @Test
    void aJobWhoseRunsKeptDyingIsFailedWithTheReasonAfterMaxAttempts() {
        // the state a job is in after three runs died (attempts 3, no graceful release) and its
        // execution was revived by dead-execution detection
        UUID id = UUID.randomUUID();
        jdbc.update("insert into job (id, type, status, parameters, seed, request_hash, attempts, instance)"
                + " values (?, 'diagnostic-counter', 'QUEUED', '{\"target\": 5}', 1, 'x', 3, 'crashed-host-1')", id);
        jdbc.update("insert into scheduled_tasks (task_name, task_instance, execution_time, picked, version)"
                + " values (?, ?, now(), false, 1)", JobTestSupport.QUEUE, id.toString());
        await("FAILED", Duration.ofSeconds(20), () -> "FAILED".equals(status(jdbc, id)));
        JsonNode job = http.get("/api/v1/jobs/" + id).json();
        assertThat(job.get("error").asString()).isEqualTo("gave up after 3 run(s) ended without finishing"
                + " (the instance died or lost its heartbeat; last on crashed-host-1)");
        assertThat(job.get("attempts").asInt()).as("not started a fourth time").isEqualTo(3);
        assertThat(jdbc.queryForObject("select count(*) from scheduled_tasks where task_instance = ?", Integer.class,
                id.toString())).isZero();
    }

    @Test
    void cancellingAFinishedJobIsAConflict() {
        UUID id = submitCounter("{\"target\": 2, \"stepDelayMs\": 1}");
        await("SUCCEEDED", Duration.ofSeconds(20), () -> "SUCCEEDED".equals(status(jdbc, id)));
        TestHttp.Response r = http.post("/api/v1/jobs/" + id + "/cancel", null, null);
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.json().get("type").asString()).endsWith("/job-already-finished");
    }

    @Test
    void invalidParametersAreA422NamingTheField() {
        TestHttp.Response r = http.post("/api/v1/jobs/diagnostic-counter", "{\"target\": 0}", null);
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().get("field").asString()).isEqualTo("target");
        r = http.post("/api/v1/jobs/diagnostic-counter", "{\"target\": 5, \"failAt\": 9}", null);
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().get("field").asString()).isEqualTo("failAt");
        r = http.post("/api/v1/jobs/diagnostic-counter", "{\"target\": \"many\"}", null);
        assertThat(r.status()).isEqualTo(400);
        assertThat(jdbc.queryForObject("select count(*) from job where type = 'diagnostic-counter'", Integer.class)).isZero();
    }

    @Test
    void unknownJobsAndBadQueriesAreProblemsNot500s() {
        UUID unknown = UUID.randomUUID();
        assertThat(http.get("/api/v1/jobs/" + unknown).status()).isEqualTo(404);
        assertThat(http.get("/api/v1/jobs/" + unknown + "/events").status()).isEqualTo(404);
        assertThat(http.post("/api/v1/jobs/" + unknown + "/cancel", null, null).status()).isEqualTo(404);
        assertThat(http.get("/api/v1/jobs/not-a-uuid").status()).isEqualTo(400);
        assertThat(http.get("/api/v1/jobs?status=SLEEPING").status()).isEqualTo(400);
        assertThat(http.get("/api/v1/jobs?cursor=xyz").status()).isEqualTo(400);
        assertThat(http.get("/api/v1/jobs?limit=0").status()).isEqualTo(400);
    }

    @Test
    void listFiltersByTypeAndStatusAndPagesWithACursor() {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(submitCounter("{\"target\": 1, \"stepDelayMs\": 0}"));
        }
        await("all succeeded", Duration.ofSeconds(30),
                () -> jdbc.queryForObject("select count(*) from job where type = 'diagnostic-counter' and status = 'SUCCEEDED'", Integer.class) == 5);
        Set<String> seen = new HashSet<>();
        List<String> order = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = http.get("/api/v1/jobs?type=diagnostic-counter&status=SUCCEEDED&limit=2"
                    + (cursor == null ? "" : "&cursor=" + cursor)).json();
            page.get("items").forEach(item -> {
                assertThat(seen.add(item.get("id").asString())).isTrue();
                order.add(item.get("id").asString());
                assertThat(item.has("metrics")).isFalse();
            });
            cursor = page.get("nextCursor") == null || page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        List<String> newestFirst = new ArrayList<>(ids.stream().map(UUID::toString).toList());
        java.util.Collections.reverse(newestFirst);
        assertThat(order).as("newest first").containsExactlyElementsOf(newestFirst);
        assertThat(http.get("/api/v1/jobs?status=RUNNING&type=diagnostic-counter").json().get("items")).isEmpty();
        assertThat(http.get("/api/v1/jobs?type=nade-training").json().get("items")).isEmpty();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
