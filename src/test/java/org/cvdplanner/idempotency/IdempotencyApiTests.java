package org.cvdplanner.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.cvdplanner.testkit.Concurrently;
import org.cvdplanner.testkit.SecuredServiceTest;
import org.cvdplanner.testkit.TestHttp;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/** Idempotency-Key on creating POSTs, with security on so keys are scoped to the API key. */
@SecuredServiceTest
class IdempotencyApiTests {

    static final String ADMIN = SecuredServiceTest.ADMIN_KEY;

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    IdempotencyConfiguration.ExpiredKeys expiredKeys;

    TestHttp.Response post(String path, String apiKey, String contentType, String body, String idempotencyKey) {
        TestHttp http = TestHttp.at(port).withKey(apiKey);
        return idempotencyKey == null ? http.send("POST", path, contentType, body)
                : http.send("POST", path, contentType, body, "Idempotency-Key", idempotencyKey);
    }

    static boolean replayed(TestHttp.Response response) {
        return response.header("Idempotent-Replayed") != null;
    }

    long dataset(String name) {
        return post("/api/v1/datasets", ADMIN, "application/json", "{\"name\":\"" + name + "\",\"stepCount\":2}", null)
                .json().get("id").asLong();
    }

    static String csv(int profiles) {
        StringBuilder csv = new StringBuilder("profile_id,t,temperature_k,s2,h2,h2s,phase_2h,phase_1t,phase_defect\n");
        for (int p = 0; p < profiles; p++) {
            csv.append("run-").append(p).append(",0,900,100,100,100,0.1,0.1,0.8\n");
            csv.append("run-").append(p).append(",1,").append(950 + p).append(",100,100,100,0.2,0.1,0.7\n");
        }
        return csv.toString();
    }

    @Test
    void thirtyTwoConcurrentRetriesOfOneUploadStoreItOnceAndAllGetTheSameResponse() throws Exception {
        long dataset = dataset("idempotent upload");
        String path = "/api/v1/datasets/" + dataset + "/profiles";
        String body = csv(50);
        int threads = 32;
        List<TestHttp.Response> responses = Concurrently.run(threads,
                () -> post(path, ADMIN, "text/csv", body, "lims-upload-0001"));
        TestHttp.Response first = responses.get(0);
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        assertThat(first.json().get("created").asInt()).isEqualTo(50);
        assertThat(responses).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(first.status());
            assertThat(r.body()).isEqualTo(first.body());
        });
        assertThat(responses.stream().filter(IdempotencyApiTests::replayed).count()).isEqualTo(threads - 1);
        assertThat(jdbc.queryForObject("select count(*) from profile where dataset_id = ?", Integer.class, dataset))
                .isEqualTo(50);
    }

    @Test
    void sameKeyWithAnotherBodyIs422AndStoresNothingEquivalentJsonIsAReplay() {
        var first = post("/api/v1/datasets", ADMIN, "application/json", "{\"name\":\"keyed\",\"stepCount\":2}", "ds-1");
        assertThat(first.status()).isEqualTo(201);
        assertThat(replayed(first)).isFalse();
        var reordered = post("/api/v1/datasets", ADMIN, "application/json; charset=utf-8",
                "{ \"stepCount\": 2,\n \"name\": \"keyed\" }", "ds-1");
        assertThat(reordered.status()).isEqualTo(201);
        assertThat(replayed(reordered)).isTrue();
        assertThat(reordered.body()).isEqualTo(first.body());
        assertThat(reordered.header("Location")).isEqualTo(first.header("Location"));
        Integer before = jdbc.queryForObject("select count(*) from dataset", Integer.class);
        var other = post("/api/v1/datasets", ADMIN, "application/json", "{\"name\":\"keyed 2\",\"stepCount\":2}", "ds-1");
        assertThat(other.status()).isEqualTo(422);
        assertThat(other.json().get("field").asString()).isEqualTo("Idempotency-Key");
        assertThat(other.json().get("type").asString()).endsWith("/idempotency-key-reused");
        assertThat(jdbc.queryForObject("select count(*) from dataset", Integer.class)).isEqualTo(before);
        assertThat(post("/api/v1/datasets", ADMIN, "application/json", "{\"name\":\"x\"}", " ").status()).isEqualTo(400);
        assertThat(post("/api/v1/datasets", ADMIN, "application/json", "{\"name\":\"x\"}", "k".repeat(256)).status()).isEqualTo(400);
    }

    @Test
    void keysAreScopedToTheApiKeyAndExpire() {
        String other = post("/api/v1/api-keys", ADMIN, "application/json",
                "{\"name\":\"second lims\",\"scopes\":[\"write\",\"train\",\"read\"]}", null).json().get("key").asString();
        var mine = post("/api/v1/datasets", ADMIN, "application/json", "{\"name\":\"scoped\"}", "shared-key");
        var theirs = post("/api/v1/datasets", other, "application/json", "{\"name\":\"scoped\"}", "shared-key");
        assertThat(theirs.status()).isEqualTo(201);
        assertThat(replayed(theirs)).isFalse();
        assertThat(theirs.header("Location")).isNotEqualTo(mine.header("Location"));
        // job submissions keep their own idempotency, scoped the same way
        String job = "{\"target\": 1, \"stepDelayMs\": 1}";
        var jobMine = post("/api/v1/jobs/diagnostic-counter", ADMIN, "application/json", job, "shared-job-key");
        var jobAgain = post("/api/v1/jobs/diagnostic-counter", ADMIN, "application/json", job, "shared-job-key");
        var jobTheirs = post("/api/v1/jobs/diagnostic-counter", other, "application/json", job, "shared-job-key");
        assertThat(jobAgain.json().get("id").asString()).isEqualTo(jobMine.json().get("id").asString());
        assertThat(jobTheirs.json().get("id").asString()).isNotEqualTo(jobMine.json().get("id").asString());

        jdbc.update("update idempotency_record set expires_at = now() - interval '1 second' where idempotency_key = 'shared-key'");
        assertThat(expiredKeys.deleteExpired()).isGreaterThanOrEqualTo(2);
        assertThat(jdbc.queryForObject("select count(*) from idempotency_record where idempotency_key = 'shared-key'",
                Integer.class)).isZero();
        var afterExpiry = post("/api/v1/datasets", ADMIN, "application/json", "{\"name\":\"scoped\"}", "shared-key");
        assertThat(replayed(afterExpiry)).isFalse();
        assertThat(afterExpiry.header("Location")).isNotEqualTo(mine.header("Location"));
    }

    @Test
    void aRequestWithoutAKeyIsNotRecorded() {
        Integer before = jdbc.queryForObject("select count(*) from idempotency_record", Integer.class);
        assertThat(post("/api/v1/datasets", ADMIN, "application/json", "{\"name\":\"unkeyed\"}", null).status()).isEqualTo(201);
        assertThat(jdbc.queryForObject("select count(*) from idempotency_record", Integer.class)).isEqualTo(before);
    }
}
