package org.cvdplanner.quota;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.cvdplanner.TestDatabaseConfiguration;
import org.cvdplanner.testkit.TestHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Per-key quotas with security on and small limits: a key over its request rate gets 429 with
 * Retry-After while other keys go on; a key at its jobs cap gets 429 with Retry-After until one
 * of its jobs is cancelled or ends, and other keys are not affected.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "cvd-planner.security.enabled=true",
        "cvd-planner.security.bootstrap-admin-key=" + QuotaTests.ADMIN_KEY,
        "cvd-planner.quotas.requests-per-minute=10",
        "cvd-planner.quotas.max-active-jobs=2",
        "cvd-planner.quotas.jobs-retry-after=7s",
        "cvd-planner.jobs.queue=quota-tests",
        // room for both keys' long jobs and the short one that must end
        "cvd-planner.jobs.concurrency=4",
        "cvd-planner.jobs.instance-name=quota-tests",
        "cvd-planner.jobs.polling-interval=200ms",
        "cvd-planner.jobs.cancel-check-interval=200ms"})
@Import(TestDatabaseConfiguration.class)
class QuotaTests {

    static final String ADMIN_KEY = "quota-tests-admin-key-0123456789abcdef";

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    final List<UUID> keyIds = new ArrayList<>();

    TestHttp.Response call(String method, String path, String key, String json) {
        return TestHttp.at(port).withTimeout(Duration.ofSeconds(30)).withKey(key)
                .send(method, path, json == null ? null : "application/json", json);
    }

    String newKey(String name, String scopes) {
        TestHttp.Response r = call("POST", "/api/v1/api-keys", ADMIN_KEY, "{\"name\":\"" + name + "\",\"scopes\":" + scopes + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        keyIds.add(UUID.fromString(r.json().get("id").asString()));
        return r.json().get("key").asString();
    }

    @AfterEach
    void cancelLeftovers() {
        // straight in the table: the keys' request budgets are too small for clean-up calls
        jdbc.update("update job set cancel_requested = true where api_key_id = any(?) and status in ('QUEUED','RUNNING')",
                (Object) keyIds.toArray(new UUID[0]));
        TestHttp.await("the keys' jobs to end", Duration.ofSeconds(30), () -> jdbc.queryForObject("select count(*) from job where api_key_id = any(?)"
                + " and status in ('QUEUED','RUNNING')", Integer.class, (Object) keyIds.toArray(new UUID[0])) == 0);
    }

    @Test
    void aKeyOverItsRateGets429WithRetryAfterAndOtherKeysGoOn() {
        String busy = newKey("busy", "[\"read\"]");
        String calm = newKey("calm", "[\"read\"]");
        for (int i = 0; i < 10; i++) {
            TestHttp.Response r = call("GET", "/api/v1/datasets?limit=1", busy, null);
            assertThat(r.status()).as("request " + (i + 1)).isEqualTo(200);
            assertThat(r.header("X-RateLimit-Remaining")).isEqualTo(Integer.toString(9 - i));
        }
        TestHttp.Response refused = call("GET", "/api/v1/datasets?limit=1", busy, null);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.json().get("type").asString()).endsWith("/rate-limited");
        int retryAfter = Integer.parseInt(refused.header("Retry-After"));
        // 10 per minute, refilled continuously: the next token comes within 6 s
        assertThat(retryAfter).isBetween(1, 6);
        assertThat(call("GET", "/api/v1/jobs?limit=1", busy, null).status()).isEqualTo(429);

        assertThat(call("GET", "/api/v1/datasets?limit=1", calm, null).status()).isEqualTo(200);
        assertThat(call("GET", "/api/v1/datasets?limit=1", ADMIN_KEY, null).status()).isEqualTo(200);
        // health stays open and uncounted
        assertThat(call("GET", "/actuator/health/liveness", busy, null).status()).isEqualTo(200);
    }

    @Test
    void theJobsCapGives429UntilAJobOfThatKeyIsCancelledOrEnds() {
        String lab = newKey("lab", "[\"read\",\"train\"]");
        String other = newKey("other", "[\"read\",\"train\"]");
        String longJob = "{\"target\":100000,\"stepDelayMs\":20}";
        String first = call("POST", "/api/v1/jobs/diagnostic-counter", lab, longJob).json().get("id").asString();
        TestHttp.Response second = call("POST", "/api/v1/jobs/diagnostic-counter", lab, longJob);
        assertThat(second.status()).isEqualTo(202);

        TestHttp.Response refused = call("POST", "/api/v1/jobs/diagnostic-counter", lab, longJob);
        assertThat(refused.status()).as(refused.body()).isEqualTo(429);
        assertThat(refused.header("Retry-After")).isEqualTo("7");
        assertThat(refused.json().get("type").asString()).endsWith("/job-quota-exceeded");
        assertThat(refused.json().get("maxActiveJobs").asInt()).isEqualTo(2);
        assertThat(jdbc.queryForObject("select count(*) from job where api_key_id = ?", Integer.class, keyIds.get(0)))
                .isEqualTo(2);

        // another key is not affected
        assertThat(call("POST", "/api/v1/jobs/diagnostic-counter", other, longJob).status()).isEqualTo(202);

        // a cancelled job frees its place
        assertThat(call("POST", "/api/v1/jobs/" + first + "/cancel", lab, null).status()).isIn(200, 202);
        TestHttp.await("the cancelled job", Duration.ofSeconds(20), () -> "CANCELLED".equals(jdbc.queryForObject("select status from job where id = ?",
                String.class, UUID.fromString(first))));
        TestHttp.Response shortJob = call("POST", "/api/v1/jobs/diagnostic-counter", lab, "{\"target\":3,\"stepDelayMs\":10}");
        assertThat(shortJob.status()).as(shortJob.body()).isEqualTo(202);
        assertThat(call("POST", "/api/v1/jobs/diagnostic-counter", lab, longJob).status()).isEqualTo(429);

        // and so does one that ends
        UUID shortId = UUID.fromString(shortJob.json().get("id").asString());
        TestHttp.await("the short job", Duration.ofSeconds(30), () -> "SUCCEEDED".equals(jdbc.queryForObject("select status from job where id = ?",
                String.class, shortId)));
        assertThat(call("POST", "/api/v1/jobs/diagnostic-counter", lab, longJob).status()).isEqualTo(202);
    }
}
