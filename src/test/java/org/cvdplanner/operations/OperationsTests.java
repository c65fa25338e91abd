package org.cvdplanner.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.cvdplanner.TestDatabase;
import org.cvdplanner.testkit.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.JsonNode;

/**
 * Health groups, request ids and structured logs against a real server whose database
 * connections run through {@link DatabaseProxy}: cutting the proxy is, for the service, the
 * database server going away.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "cvd-planner.jobs.queue=operations-tests",
        "cvd-planner.jobs.instance-name=operations-tests",
        "cvd-planner.jobs.polling-interval=200ms",
        "cvd-planner.jobs.progress-write-interval=100ms",
        "spring.datasource.hikari.connection-timeout=1000",
        "spring.datasource.hikari.validation-timeout=500",
        "logging.structured.format.console=ecs",
        "logging.level.org.springframework.web.servlet.DispatcherServlet=DEBUG"})
@ExtendWith(OutputCaptureExtension.class)
class OperationsTests {

    static final DatabaseProxy PROXY = proxyToTestDatabase();

    @LocalServerPort
    int port;

    @TestConfiguration(proxyBeanMethods = false)
    static class ProxiedDatabase {
        @Bean
        JdbcConnectionDetails proxiedDatabaseConnectionDetails() {
            JdbcConnectionDetails real = TestDatabase.connectionDetails();
            String url = real.getJdbcUrl().replaceFirst("//[^/]+/", "//127.0.0.1:" + PROXY.port() + "/");
            return new JdbcConnectionDetails() {
                @Override
                public String getUsername() {
                    return real.getUsername();
                }

                @Override
                public String getPassword() {
                    return real.getPassword();
                }

                @Override
                public String getJdbcUrl() {
                    return url;
                }
            };
        }
    }

    private static DatabaseProxy proxyToTestDatabase() {
        Matcher m = Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/").matcher(TestDatabase.connectionDetails().getJdbcUrl());
        if (!m.find()) {
            throw new IllegalStateException("cannot read host and port of " + TestDatabase.connectionDetails().getJdbcUrl());
        }
        return new DatabaseProxy(m.group(1), Integer.parseInt(m.group(2)));
    }

    /**
     * Logging is one per JVM: Spring Boot configures it with the first context that starts and
     * leaves it alone while any context is open (and the other tests' cached contexts stay open).
     * Forgetting it before this class's context starts lets this context's structured format apply.
     */
    @BeforeAll
    static void loggingFromThisContext() {
        LoggingSystem.get(OperationsTests.class.getClassLoader()).cleanUp();
    }

    @AfterAll
    static void restoreDatabase() {
        PROXY.restore();
    }

    TestHttp.Response get(String path, String requestId) {
        TestHttp http = TestHttp.at(port);
        return requestId == null ? http.get(path) : http.send("GET", path, null, null, "X-Request-Id", requestId);
    }

    TestHttp.Response post(String path, String body) {
        return TestHttp.at(port).post(path, body);
    }

    /** Polls until the readiness group answers {@code status}, returning the last answer. */
    TestHttp.Response awaitReadiness(int status, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        TestHttp.Response r = get("/actuator/health/readiness", null);
        while (r.status() != status && System.nanoTime() < deadline) {
            Thread.sleep(250);
            r = get("/actuator/health/readiness", null);
        }
        return r;
    }

    @Test
    void readinessFollowsTheDatabaseAndTheJobEngineWhileLivenessDoesNot() throws Exception {
        TestHttp.Response ready = awaitReadiness(200, Duration.ofSeconds(30));
        assertThat(ready.status()).as(ready.body()).isEqualTo(200);
        JsonNode components = ready.json().get("components");
        assertThat(components.properties().stream().map(java.util.Map.Entry::getKey).toList())
                .containsExactlyInAnyOrder("readinessState", "db", "jobs");
        JsonNode jobs = components.get("jobs");
        assertThat(jobs.get("status").asString()).isEqualTo("UP");
        assertThat(jobs.get("details").get("queue").asString()).isEqualTo("operations-tests");
        assertThat(jobs.get("details").has("queued")).isTrue();
        assertThat(jobs.get("details").has("oldestQueuedSeconds")).isTrue();
        TestHttp.Response live = get("/actuator/health/liveness", null);
        assertThat(live.status()).isEqualTo(200);
        assertThat(live.json().get("components").properties().stream().map(java.util.Map.Entry::getKey).toList())
                .containsExactly("livenessState");

        PROXY.cut();
        try {
            TestHttp.Response down = awaitReadiness(503, Duration.ofSeconds(30));
            assertThat(down.status()).as(down.body()).isEqualTo(503);
            assertThat(down.json().get("status").asString()).isEqualTo("DOWN");
            assertThat(down.json().get("components").get("db").get("status").asString()).isEqualTo("DOWN");
            assertThat(down.json().get("components").get("jobs").get("status").asString()).isEqualTo("DOWN");
            // the process is fine: no restart for a database outage
            TestHttp.Response stillLive = get("/actuator/health/liveness", null);
            assertThat(stillLive.status()).isEqualTo(200);
        } finally {
            PROXY.restore();
        }

        TestHttp.Response back = awaitReadiness(200, Duration.ofSeconds(60));
        assertThat(back.status()).as(back.body()).isEqualTo(200);
        assertThat(back.json().get("components").get("jobs").get("status").asString()).isEqualTo("UP");
    }

    double scraped(String sample) {
        return get("/actuator/prometheus", null).body().lines().filter(l -> l.startsWith(sample + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(sample.length() + 1))).findFirst().orElse(0);
    }

    @Test
    void proposalRequestsLandInTheProposalLatencyHistogramByOutcome() {
        String clientErrors = "cvdplanner_agent_proposals_seconds_count{outcome=\"client_error\"}";
        double before = scraped(clientErrors);
        String agent = "/api/v1/agents/" + java.util.UUID.randomUUID() + "/proposals";
        TestHttp.Response unknown = post(agent, "{}");
        assertThat(unknown.status()).as(unknown.body()).isBetween(400, 499);
        // listing an agent's proposals is not proposing: not timed
        get(agent, null);
        assertThat(scraped(clientErrors) - before).isEqualTo(1);
        assertThat(scraped("cvdplanner_agent_proposals_seconds_bucket{outcome=\"client_error\",le=\"+Inf\"}"))
                .isEqualTo(scraped(clientErrors));
    }

    @Test
    void requestIdsAndJobIdsAreFieldsOfTheStructuredLogLines(CapturedOutput output) throws Exception {
        TestHttp.Response given = get("/api/v1/jobs?limit=1", "lims-run-4711");
        assertThat(given.status()).isEqualTo(200);
        assertThat(given.headers().firstValue("X-Request-Id")).contains("lims-run-4711");
        TestHttp.Response generated = get("/api/v1/jobs?limit=1", "not a plain token");
        assertThat(generated.headers().firstValue("X-Request-Id").orElseThrow()).matches("[0-9a-f-]{36}");

        TestHttp.Response submitted = post("/api/v1/jobs/diagnostic-counter", "{\"target\": 3, \"stepDelayMs\": 10}");
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        String jobId = submitted.json().get("id").asString();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!get("/api/v1/jobs/" + jobId, null).json().get("status").asString().equals("SUCCEEDED")
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }

        // one JSON object per line; the DispatcherServlet's debug line of the first request
        // carries its id, the engine's lines of the job carry the job's id
        var lines = output.getOut().lines().filter(l -> l.startsWith("{")).map(TestHttp.JSON::readTree).toList();
        assertThat(lines).anySatisfy(line -> {
            assertThat(line.path("requestId").asString("")).isEqualTo("lims-run-4711");
            assertThat(line.path("message").asString("")).contains("/api/v1/jobs");
        });
        assertThat(lines).anySatisfy(line -> {
            assertThat(line.path("jobId").asString("")).isEqualTo(jobId);
            assertThat(line.path("jobType").asString("")).isEqualTo("diagnostic-counter");
            assertThat(line.path("message").asString("")).contains("succeeded");
        });
    }
}
