package org.cvdplanner.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.cvdplanner.profile.Datasets;
import org.cvdplanner.simulation.CvdSimulator;
import org.cvdplanner.simulation.RandomWalkScheduleGenerator;
import org.cvdplanner.synthesis.SynthesisProfile;
import org.cvdplanner.testkit.ServiceTest;
import org.cvdplanner.testkit.TestHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * A lab system's own identifiers ({@code externalRef}) on datasets and on every kind of job
 * submission: stored, returned in each representation, list filters; bad values are 400
 * naming the field and store nothing. (Proposals: AgentApiTests; lab results: their own tests.)
 */
@ServiceTest
class ExternalRefApiTests {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    Datasets datasets;

    final String ref = "LIMS-" + UUID.randomUUID();
    final List<Long> createdDatasets = new ArrayList<>();

    TestHttp.Response send(String method, String path, String json, String... headers) {
        return TestHttp.at(port).send(method, path, json == null ? null : "application/json", json, headers);
    }

    static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @AfterEach
    void cleanUp() {
        for (UUID id : jdbc.queryForList("select id from job where external_ref like 'LIMS-%' and status in ('QUEUED','RUNNING')",
                UUID.class)) {
            send("POST", "/api/v1/jobs/" + id + "/cancel", null);
        }
        createdDatasets.forEach(id -> jdbc.update("delete from dataset where id = ? and not exists ("
                + "select 1 from job where status in ('QUEUED','RUNNING') and parameters ->> 'datasetId' = ?::text)", id, id));
    }

    private long dataset(String body) {
        TestHttp.Response r = send("POST", "/api/v1/datasets", body);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        long id = r.json().get("id").asLong();
        createdDatasets.add(id);
        return id;
    }

    @Test
    void datasetsStoreReturnAndFilterByTheirExternalRef() {
        long tagged = dataset("{\"name\":\"ref-a\",\"externalRef\":\"" + ref + "\"}");
        long other = dataset("{\"name\":\"ref-b\",\"externalRef\":\"" + ref + "-other\"}");
        long untagged = dataset("{\"name\":\"ref-c\"}");

        assertThat(send("GET", "/api/v1/datasets/" + tagged, null).json().get("externalRef").asString()).isEqualTo(ref);
        assertThat(send("GET", "/api/v1/datasets/" + untagged, null).json().get("externalRef").isNull()).isTrue();
        JsonNode items = send("GET", "/api/v1/datasets?limit=500&externalRef=" + q(ref), null).json().get("items");
        assertThat(items.size()).isEqualTo(1);
        assertThat(items.get(0).get("id").asLong()).isEqualTo(tagged);
        assertThat(items.get(0).get("externalRef").asString()).isEqualTo(ref);
        assertThat(send("GET", "/api/v1/datasets?externalRef=" + q(ref + "-other"), null).json().get("items").get(0)
                .get("id").asLong()).isEqualTo(other);
        assertThat(jdbc.queryForObject("select external_ref from dataset where id = ?", String.class, tagged)).isEqualTo(ref);
    }

    @Test
    void badExternalRefsAre400NamingTheFieldAndStoreNothing() {
        Integer before = jdbc.queryForObject("select count(*) from dataset", Integer.class);
        for (String bad : List.of("\"" + "x".repeat(201) + "\"", "\"   \"", "\"line\\nbreak\"")) {
            TestHttp.Response r = send("POST", "/api/v1/datasets", "{\"name\":\"bad-ref\",\"externalRef\":" + bad + "}");
            assertThat(r.status()).as(r.body()).isEqualTo(400);
            assertThat(r.json().get("field").asString()).isEqualTo("externalRef");
            assertThat(r.json().get("type").asString()).endsWith("/invalid-external-ref");
        }
        assertThat(jdbc.queryForObject("select count(*) from dataset", Integer.class)).isEqualTo(before);
        // exactly 200 characters is fine
        dataset("{\"name\":\"long-ref\",\"externalRef\":\"" + "y".repeat(200) + "\"}");

        Integer jobs = jdbc.queryForObject("select count(*) from job", Integer.class);
        String tooLong = "z".repeat(201);
        for (String[] call : List.of(
                new String[] {"/api/v1/jobs/diagnostic-counter", "{\"target\":5,\"externalRef\":\"" + tooLong + "\"}"},
                new String[] {"/api/v1/jobs/nade-training", "{\"datasetId\":1,\"externalRef\":\"" + tooLong + "\"}"},
                new String[] {"/api/v1/jobs/agent-training", "{\"nadeModelId\":\"" + UUID.randomUUID()
                        + "\",\"externalRef\":\"" + tooLong + "\"}"},
                new String[] {"/api/v1/datasets/" + createdDatasets.get(0) + "/simulations",
                        "{\"count\":2,\"externalRef\":\"" + tooLong + "\"}"},
                new String[] {"/api/v1/agents/" + UUID.randomUUID() + "/proposals", "{\"externalRef\":\"" + tooLong + "\"}"})) {
            TestHttp.Response r = send("POST", call[0], call[1]);
            assertThat(r.status()).as(call[0] + " " + r.body()).isEqualTo(400);
            assertThat(r.json().get("field").asString()).as(call[0]).isEqualTo("externalRef");
        }
        assertThat(jdbc.queryForObject("select count(*) from job", Integer.class)).isEqualTo(jobs);
        for (String list : List.of("/api/v1/datasets", "/api/v1/jobs", "/api/v1/proposals")) {
            TestHttp.Response r = send("GET", list + "?externalRef=" + q(tooLong), null);
            assertThat(r.status()).as(list).isEqualTo(400);
            assertThat(r.json().get("field").asString()).isEqualTo("externalRef");
        }
    }

    @Test
    void everyJobSubmissionStoresItsExternalRefAndJobListsFilterByIt() {
        long datasetId = dataset("{\"name\":\"ref-jobs\"}");
        List<SynthesisProfile> profiles = new ArrayList<>();
        var runs = CvdSimulator.DEFAULT.simulateRandomWalks(RandomWalkScheduleGenerator.PAPER, 11, 0, 20, 1);
        for (int i = 0; i < runs.size(); i++) {
            profiles.add(runs.get(i).toProfile("ref-" + i));
        }
        datasets.store(datasetId, profiles);

        List<String> jobIds = new ArrayList<>();
        for (String[] call : List.of(
                new String[] {"/api/v1/jobs/diagnostic-counter", "{\"target\":1000,\"stepDelayMs\":50,\"externalRef\":\"" + ref + "-counter\"}"},
                new String[] {"/api/v1/jobs/nade-training", "{\"datasetId\":" + datasetId + ",\"epochs\":1,\"externalRef\":\"" + ref + "-nade\"}"},
                new String[] {"/api/v1/datasets/" + datasetId + "/simulations", "{\"count\":2,\"externalRef\":\"" + ref + "-campaign\"}"})) {
            TestHttp.Response r = send("POST", call[0], call[1]);
            assertThat(r.status()).as(call[0] + " " + r.body()).isEqualTo(202);
            String expected = TestHttp.JSON.readTree(call[1]).get("externalRef").asString();
            assertThat(r.json().get("externalRef").asString()).isEqualTo(expected);
            String id = r.json().get("id").asString();
            jobIds.add(id);
            JsonNode job = send("GET", "/api/v1/jobs/" + id, null).json();
            assertThat(job.get("externalRef").asString()).isEqualTo(expected);
            // stored with the job, not among the handler's parameters
            assertThat(job.get("parameters").has("externalRef")).as(job.toString()).isFalse();
            JsonNode listed = send("GET", "/api/v1/jobs?externalRef=" + q(expected), null).json().get("items");
            assertThat(listed.size()).isEqualTo(1);
            assertThat(listed.get(0).get("id").asString()).isEqualTo(id);
            assertThat(listed.get(0).get("externalRef").asString()).isEqualTo(expected);
        }
        // an idempotent retry must repeat the reference: the same key with another one is 422
        String key = "ref-key-" + UUID.randomUUID();
        TestHttp.Response first = send("POST", "/api/v1/jobs/diagnostic-counter", "{\"target\":3,\"externalRef\":\"" + ref + "-k\"}",
                "Idempotency-Key", key);
        assertThat(first.status()).as(first.body()).isEqualTo(202);
        TestHttp.Response replay = send("POST", "/api/v1/jobs/diagnostic-counter", "{\"target\":3,\"externalRef\":\"" + ref + "-k\"}",
                "Idempotency-Key", key);
        assertThat(replay.json().get("id").asString()).isEqualTo(first.json().get("id").asString());
        assertThat(replay.json().get("externalRef").asString()).isEqualTo(ref + "-k");
        TestHttp.Response other = send("POST", "/api/v1/jobs/diagnostic-counter", "{\"target\":3,\"externalRef\":\"" + ref + "-j\"}",
                "Idempotency-Key", key);
        assertThat(other.status()).as(other.body()).isEqualTo(422);
        assertThat(send("GET", "/api/v1/jobs?externalRef=" + q(ref + "-k"), null).json().get("items").size()).isEqualTo(1);
        assertThat(send("GET", "/api/v1/jobs?externalRef=" + q(ref + "-none"), null).json().get("items").size()).isZero();
    }
}
