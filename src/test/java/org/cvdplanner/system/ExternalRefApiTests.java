package org.cvdplanner.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.cvdplanner.TestDatabaseConfiguration;
import org.cvdplanner.profile.Datasets;
import org.cvdplanner.simulation.CvdSimulator;
import org.cvdplanner.simulation.RandomWalkScheduleGenerator;
import org.cvdplanner.synthesis.SynthesisProfile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A lab system's own identifiers ({@code externalRef}) on datasets and on every kind of job
 * submission: stored, returned in each representation, list filters; bad values are 400
 * naming the field and store nothing. (Proposals: AgentApiTests; lab results: their own tests.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestDatabaseConfiguration.class)
class ExternalRefApiTests {

    static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    Datasets datasets;

    final String ref = "LIMS-" + UUID.randomUUID();
    final List<Long> createdDatasets = new ArrayList<>();

    record Response(int status, String body) {
        JsonNode json() {
            return JsonMapper.shared().readTree(body);
        }
    }

    Response send(String method, String path, String json, String... headers) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .timeout(Duration.ofSeconds(30));
            b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
            if (json != null) {
                b.header("Content-Type", "application/json");
            }
            for (int i = 0; i + 1 < headers.length; i += 2) {
                b.header(headers[i], headers[i + 1]);
            }
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body());
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path, e);
        }
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
        Response r = send("POST", "/api/v1/datasets", body);
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
            Response r = send("POST", "/api/v1/datasets", "{\"name\":\"bad-ref\",\"externalRef\":" + bad + "}");
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
            Response r = send("POST", call[0], call[1]);
            assertThat(r.status()).as(call[0] + " " + r.body()).isEqualTo(400);
            assertThat(r.json().get("field").asString()).as(call[0]).isEqualTo("externalRef");
        }
        assertThat(jdbc.queryForObject("select count(*) from job", Integer.class)).isEqualTo(jobs);
        for (String list : List.of("/api/v1/datasets", "/api/v1/jobs", "/api/v1/proposals")) {
            Response r = send("GET", list + "?externalRef=" + q(tooLong), null);
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
            Response r = send("POST", call[0], call[1]);
            assertThat(r.status()).as(call[0] + " " + r.body()).isEqualTo(202);
            String expected = JsonMapper.shared().readTree(call[1]).get("externalRef").asString();
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
        Response first = send("POST", "/api/v1/jobs/diagnostic-counter", "{\"target\":3,\"externalRef\":\"" + ref + "-k\"}",
                "Idempotency-Key", key);
        assertThat(first.status()).as(first.body()).isEqualTo(202);
        Response replay = send("POST", "/api/v1/jobs/diagnostic-counter", "{\"target\":3,\"externalRef\":\"" + ref + "-k\"}",
                "Idempotency-Key", key);
        assertThat(replay.json().get("id").asString()).isEqualTo(first.json().get("id").asString());
        assertThat(replay.json().get("externalRef").asString()).isEqualTo(ref + "-k");
        Response other = send("POST", "/api/v1/jobs/diagnostic-counter", "{\"target\":3,\"externalRef\":\"" + ref + "-j\"}",
                "Idempotency-Key", key);
        assertThat(other.status()).as(other.body()).isEqualTo(422);
        assertThat(send("GET", "/api/v1/jobs?externalRef=" + q(ref + "-k"), null).json().get("items").size()).isEqualTo(1);
        assertThat(send("GET", "/api/v1/jobs?externalRef=" + q(ref + "-none"), null).json().get("items").size()).isZero();
    }
}
