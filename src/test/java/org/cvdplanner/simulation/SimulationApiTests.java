package org.cvdplanner.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cvdplanner.testkit.TestHttp.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import org.cvdplanner.profile.Datasets;
import org.cvdplanner.synthesis.ProfileArrays;
import org.cvdplanner.synthesis.SynthesisProfile;
import org.cvdplanner.testkit.ServiceTest;
import org.cvdplanner.testkit.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/** Campaigns and schedule runs over HTTP, against the real job engine and PostgreSQL. */
@ServiceTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SimulationApiTests {

    static final String DATASET_NAME = "simulation-api-tests";

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    Datasets datasets;

    TestHttp http;
    long datasetId;

    @BeforeEach
    void newDataset() {
        http = TestHttp.at(port);
        datasetId = datasets.create(DATASET_NAME, "campaign tests", "SIMULATION", 20).id();
    }

    @AfterAll
    void cleanUp() {
        jdbc.update("delete from dataset where name = ?", DATASET_NAME);
    }

    private String simulations() {
        return "/api/v1/datasets/" + datasetId + "/simulations";
    }

    private JsonNode awaitFinished(UUID id) {
        await("job " + id + " finished", Duration.ofSeconds(120), () -> http.get("/api/v1/jobs/" + id).json()
                .get("status").asString().matches("SUCCEEDED|FAILED|CANCELLED"));
        return http.get("/api/v1/jobs/" + id).json();
    }

    private List<String> storedIds() {
        return jdbc.queryForList("select external_id from profile where dataset_id = ? order by external_id", String.class,
                datasetId);
    }

    @Test
    void randomWalkCampaignRunsToSucceededWithExactlyCountProfiles() {
        int count = 1_050; // 11 chunks of 100
        var submitted = http.post(simulations(), "{\"count\": " + count + ", \"seed\": 4242}", "campaign-" + UUID.randomUUID());
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        UUID id = UUID.fromString(submitted.json().get("id").asString());
        assertThat(submitted.headers().firstValue("Location")).hasValue("/api/v1/jobs/" + id);
        assertThat(submitted.json().get("type").asString()).isEqualTo("simulation-campaign");
        assertThat(submitted.json().get("seed").asLong()).isEqualTo(4242);

        JsonNode job = awaitFinished(id);
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("progress").get("done").asLong()).isEqualTo(count);
        assertThat(job.get("progress").get("total").asLong()).isEqualTo(count);
        assertThat(job.get("progress").get("unit").asString()).isEqualTo("profiles");
        JsonNode result = job.get("result");
        assertThat(result.get("profiles").asInt()).isEqualTo(count);
        assertThat(result.get("created").asInt()).isEqualTo(count);
        assertThat(result.get("duplicates").asInt()).isZero();

        String prefix = SimulationCampaign.idPrefix(id);
        assertThat(datasets.count(datasetId)).isEqualTo(count);
        assertThat(storedIds()).containsExactlyElementsOf(
                IntStream.range(0, count).mapToObj(i -> prefix + String.format("%06d", i)).toList());
        assertThat(result.get("firstExternalId").asString()).isEqualTo(prefix + "000000");
        assertThat(result.get("lastExternalId").asString()).isEqualTo(prefix + "001049");

        // what was stored is what the simulator makes of (campaign seed, index), bit for bit
        ProfileArrays stored = datasets.loadArrays(datasetId);
        List<SimulatedRun> expected = CvdSimulator.DEFAULT.simulateRandomWalks(RandomWalkScheduleGenerator.PAPER, 4242,
                0, count, 2);
        for (int i : new int[] {0, 1, 517, count - 1}) {
            assertThat(stored.externalIds().get(i)).isEqualTo(prefix + String.format("%06d", i));
            SynthesisProfile fresh = expected.get(i).toProfile(stored.externalIds().get(i));
            for (int t = 0; t < 20; t++) {
                for (int c = 0; c < 4; c++) {
                    assertThat(stored.condition(i, t, c)).isEqualTo((float) fresh.schedule().at(t).get(c));
                }
                for (int k = 0; k < 3; k++) {
                    assertThat(stored.phase(i, t, k)).isEqualTo((float) fresh.trajectory().at(t).get(k));
                }
            }
        }
    }

    @Test
    void idempotencyKeyReturnsTheSameCampaign() {
        String key = "campaign-" + UUID.randomUUID();
        var first = http.post(simulations(), "{\"count\": 5, \"seed\": 1}", key);
        var second = http.post(simulations(), "{\"count\": 5, \"seed\": 1}", key);
        assertThat(second.status()).isEqualTo(202);
        assertThat(second.json().get("id").asString()).isEqualTo(first.json().get("id").asString());
        var other = http.post(simulations(), "{\"count\": 6, \"seed\": 1}", key);
        assertThat(other.status()).isEqualTo(422);
        awaitFinished(UUID.fromString(first.json().get("id").asString()));
        assertThat(datasets.count(datasetId)).isEqualTo(5);
    }

    @Test
    void givenSchedulesAreEachRunReplicasTimes() {
        String body = "{\"scheduleSource\": \"GIVEN\", \"replicasPerSchedule\": 3, \"seed\": 7, \"schedules\": ["
                + CalibrationSchedules.scheduleJson(3300, 8, 2000, 30, 150, 20) + ","
                + CalibrationSchedules.scheduleJson(1000, 20, 1000, 100, 100, 20) + "]}";
        var submitted = http.post(simulations(), body);
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        JsonNode job = awaitFinished(UUID.fromString(submitted.json().get("id").asString()));
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("parameters").get("count").asInt()).isEqualTo(6);
        ProfileArrays stored = datasets.loadArrays(datasetId);
        assertThat(stored.profileCount()).isEqualTo(6);
        for (int i = 0; i < 6; i++) {
            double temperature0 = stored.condition(i, 0, 0);
            double final2H = stored.phase(i, 19, 0);
            if (i < 3) {
                assertThat(temperature0).isEqualTo(3300);
                assertThat(final2H).isGreaterThan(0.8);
            } else {
                assertThat(temperature0).isEqualTo(1000);
                assertThat(final2H).isZero();
            }
        }
        // replicas of one schedule differ (own seeds), so they are three profiles, not one
        assertThat(stored.phase(0, 10, 0) == stored.phase(1, 10, 0) && stored.phase(1, 10, 0) == stored.phase(2, 10, 0))
                .isFalse();
    }

    @Test
    void cancelledCampaignStopsBetweenChunks() {
        var submitted = http.post(simulations(), "{\"count\": 1000000, \"seed\": 3}");
        UUID id = UUID.fromString(submitted.json().get("id").asString());
        await("the campaign stored a few chunks", Duration.ofSeconds(60), () -> {
            JsonNode progress = http.get("/api/v1/jobs/" + id).json().get("progress");
            return progress != null && progress.get("done") != null && progress.get("done").asLong() >= 300;
        });
        assertThat(http.post("/api/v1/jobs/" + id + "/cancel", "").status()).isIn(200, 202);
        JsonNode job = awaitFinished(id);
        assertThat(job.get("status").asString()).isEqualTo("CANCELLED");
        long stored = datasets.count(datasetId);
        assertThat(stored).isLessThan(1_000_000).isGreaterThanOrEqualTo(300);
        assertThat(stored % ServiceTest.CHUNK).as("whole chunks only").isZero();
        byte[] checkpoint = jdbc.queryForObject("select data from job_checkpoint where job_id = ?", byte[].class, id);
        assertThat(SimulationCampaignJob.Progress.read(checkpoint).stored()).isEqualTo(stored);
    }

    @Test
    void badCampaignRequestsAreProblemDetailsNamingTheField() {
        assertProblem(http.post("/api/v1/datasets/999999999/simulations", "{\"count\": 10}"), 404, "dataset-not-found", null);
        assertProblem(http.post(simulations(), "{}"), 422, "invalid-job-parameters", "count");
        assertProblem(http.post(simulations(), "{\"count\": 0}"), 422, "invalid-job-parameters", "count");
        assertProblem(http.post(simulations(), "{\"count\": 2000000}"), 422, "invalid-job-parameters", "count");
        assertProblem(http.post(simulations(), "{\"count\": 10, \"replicasPerSchedule\": 2}"), 422,
                "invalid-job-parameters", "replicasPerSchedule");
        assertProblem(http.post(simulations(), "{\"scheduleSource\": \"GIVEN\"}"), 422, "invalid-job-parameters", "schedules");
        assertProblem(http.post(simulations(), "{\"scheduleSource\": \"GIVEN\", \"schedules\": ["
                + CalibrationSchedules.scheduleJson(3300, 8, 2000, 30, 150, 12) + "]}"), 422, "invalid-job-parameters",
                "schedules[0].steps");
        assertProblem(http.post(simulations(), "{\"scheduleSource\": \"GIVEN\", \"count\": 3, \"schedules\": ["
                + CalibrationSchedules.scheduleJson(3300, 8, 2000, 30, 150, 20) + "]}"), 422, "invalid-job-parameters", "count");
        assertProblem(http.post(simulations(), "{\"scheduleSource\": \"GIVEN\", \"schedules\": ["
                + CalibrationSchedules.scheduleJson(3300, 8, -5, 30, 150, 20) + "]}"), 422, "invalid-job-parameters",
                "schedules[0].steps[8].temperatureK");
        assertProblem(http.post(simulations(), "{\"scheduleSource\": \"GIVEN\", \"schedules\": [{\"steps\": [{\"temperatureK\": 2000,"
                + " \"h2\": 1, \"h2s\": 1}]}]}"), 422, "invalid-job-parameters", "schedules[0].steps[0].s2");
        assertProblem(http.post(simulations(), "{\"scheduleSource\": \"SOMETIMES\", \"count\": 3}"), 400, "unreadable-body", null);
        assertProblem(http.post(simulations(), "{\"count\": "), 400, "unreadable-body", null);
        assertThat(datasets.count(datasetId)).isZero();
    }

    @Test
    void runsReturnPerStepBandsOfEveryPhaseAndObservable() {
        String body = "{\"replicas\": 16, \"seed\": 99, \"schedules\": ["
                + CalibrationSchedules.scheduleJson(3300, 8, 2000, 30, 150, 20) + ","
                + CalibrationSchedules.scheduleJson(3300, 8, 1500, 30, 150, 20) + "]}";
        var response = http.post("/api/v1/simulations/runs", body);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode json = response.json();
        assertThat(json.get("seed").asLong()).isEqualTo(99);
        assertThat(json.get("replicas").asInt()).isEqualTo(16);
        assertThat(json.get("results")).hasSize(2);
        JsonNode reference = json.get("results").get(0);
        assertThat(reference.get("trajectory")).hasSize(20);
        JsonNode first = reference.get("trajectory").get(0);
        assertThat(first.get("phaseDefect").get("mean").asDouble()).isEqualTo(1.0);
        assertThat(first.get("remainingOxide").get("p95").asDouble()).isEqualTo(1.0);
        JsonNode last = reference.get("last");
        assertThat(last.get("t").asInt()).isEqualTo(19);
        for (String quantity : List.of("phase2H", "phase1T", "phaseDefect", "sulfidised", "remainingOxide")) {
            JsonNode band = last.get(quantity);
            assertThat(band.get("p5").asDouble()).isLessThanOrEqualTo(band.get("mean").asDouble());
            assertThat(band.get("mean").asDouble()).isLessThanOrEqualTo(band.get("p95").asDouble());
            // a fraction in [0, 1] with mean m has a variance of at most m(1 - m) (Bhatia-Davis; ×n/(n-1)
            // for the sample variance): an sd off by a factor, or not zero at a settled 0 or 1, fails here
            double m = band.get("mean").asDouble();
            assertThat(band.get("sd").asDouble()).as(quantity + " sd")
                    .isBetween(0.0, Math.sqrt(m * (1 - m) * 16.0 / 15.0) + 1e-9);
        }
        // replicas differ: the final 2H and 1T fractions spread, the band is not a point
        for (String quantity : List.of("phase2H", "phase1T")) {
            JsonNode band = last.get(quantity);
            assertThat(band.get("sd").asDouble()).as(quantity + " sd").isPositive();
            assertThat(band.get("p95").asDouble()).isGreaterThan(band.get("p5").asDouble());
        }
        assertThat(last.get("phase2H").get("mean").asDouble()).isGreaterThan(0.8);
        assertThat(json.get("results").get(1).get("last").get("phase2H").get("mean").asDouble()).isLessThan(0.5);
        // the Java service gives the same numbers (same seed convention) and the same request the same answer
        assertThat(http.post("/api/v1/simulations/runs", body).body()).isEqualTo(response.body());
        ReplicaSummary direct = CvdSimulator.DEFAULT.summarise(CalibrationSchedules.reference(), 16, Seeds.derive(99, 0), 1);
        assertThat(last.get("phase2H").get("mean").asDouble()).isEqualTo(direct.last().phase2H().mean());
        assertThat(last.get("phase1T").get("p95").asDouble()).isEqualTo(direct.last().phase1T().p95());
    }

    @Test
    void runsDrawASeedAndDefaultTo32Replicas() {
        var response = http.post("/api/v1/simulations/runs", "{\"schedules\": ["
                + CalibrationSchedules.scheduleJson(2500, 20, 2500, 100, 100, 5) + "]}");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().get("replicas").asInt()).isEqualTo(32);
        assertThat(response.json().has("seed")).isTrue();
        assertThat(response.json().get("results").get(0).get("trajectory")).hasSize(5);
    }

    @Test
    void badRunRequestsAreProblemDetailsNamingTheField() {
        String good = CalibrationSchedules.scheduleJson(3300, 8, 2000, 30, 150, 20);
        String runs = "/api/v1/simulations/runs";
        assertProblem(http.post(runs, "{}"), 422, "invalid-simulation-request", "schedules");
        assertProblem(http.post(runs, "{\"schedules\": []}"), 422, "invalid-simulation-request", "schedules");
        assertProblem(http.post(runs, "{\"replicas\": 0, \"schedules\": [" + good + "]}"), 422, "invalid-simulation-request", "replicas");
        assertProblem(http.post(runs, "{\"replicas\": 1001, \"schedules\": [" + good + "]}"), 422, "invalid-simulation-request", "replicas");
        assertProblem(http.post(runs, "{\"replicas\": 1000, \"schedules\": [" + good + "," + good + "," + good + "," + good
                + "," + good + ", " + good + "]}"), 422, "invalid-simulation-request", "replicas");
        assertProblem(http.post(runs, "{\"schedules\": [" + good + ", {\"steps\": [{\"temperatureK\": 2000, \"s2\": 1,"
                + " \"h2\": 1, \"h2s\": 1}]}]}"), 422, "invalid-simulation-request", "schedules[1].steps");
        assertProblem(http.post(runs, "{\"schedules\": [" + CalibrationSchedules.scheduleJson(0, 8, 2000, 30, 150, 20) + "]}"),
                422, "invalid-simulation-request", "schedules[0].steps[0].temperatureK");
        assertProblem(http.post(runs, "{\"schedules\": [" + CalibrationSchedules.scheduleJson(3300, 8, 2000, -1, 150, 20) + "]}"),
                422, "invalid-simulation-request", "schedules[0].steps[0].s2");
        assertProblem(http.post(runs, "{\"schedules\": [" + CalibrationSchedules.scheduleJson(1e7, 8, 2000, 30, 150, 20) + "]}"),
                422, "invalid-simulation-request", "schedules[0].steps[0].temperatureK");
        assertProblem(http.post(runs, "{\"schedules\": [{\"steps\": [null, null]}]}"), 422, "invalid-simulation-request",
                "schedules[0].steps[0]");
        assertProblem(http.post(runs, "{\"schedules\": [{}]}"), 422, "invalid-simulation-request", "schedules[0].steps");
        assertProblem(http.post(runs, "{\"schedules\": [{\"steps\": [{\"temperatureK\": \"hot\"}]}]}"), 400, "unreadable-body", null);
    }

    private static void assertProblem(TestHttp.Response response, int status, String type, String field) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));
        JsonNode problem = response.json();
        assertThat(problem.get("type").asString()).endsWith("/" + type);
        assertThat(problem.get("detail").asString()).isNotBlank();
        if (field != null) {
            assertThat(problem.get("field").asString()).as(response.body()).isEqualTo(field);
        }
    }
}
