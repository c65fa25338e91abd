package org.cvdplanner.agent;

import org.cvdplanner.agent.training.AgentTrainingJob;
import org.cvdplanner.artifact.Artifacts;
import org.cvdplanner.testkit.ServiceTest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.cvdplanner.job.JobCancelledException;
import org.cvdplanner.nade.NadeModel;
import org.cvdplanner.profile.Datasets;
import org.cvdplanner.testkit.Concurrently;
import org.cvdplanner.testkit.InMemoryJobContext;
import org.cvdplanner.testkit.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The agent feature over HTTP against the real job engine and PostgreSQL: a training job to the
 * stored agent with its baselines, proposals, recipes, validations, analyses, bad requests as
 * problem details; and the job handler resuming a killed run from its checkpoint.
 */
@ServiceTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentApiTests {

    static final String DATASET_NAME = "agent-api-tests";

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    Datasets datasets;
    @Autowired
    AgentTrainingJob handler;
    @Autowired
    AgentRegistry registry;

    TestHttp http;
    UUID nadeModelId;
    UUID agentId;

    @BeforeAll
    void storeNadeModelAndTrainAnAgent() {
        http = TestHttp.at(port).withTimeout(Duration.ofSeconds(240));
        long datasetId = datasets.create(DATASET_NAME, "agent tests", "SIMULATION", 20).id();
        NadeModel nade = AgentTestModels.nade();
        nadeModelId = UUID.randomUUID();
        String ranges = "{\"min\":{\"temperatureK\":750,\"s2\":20,\"h2\":20,\"h2s\":20},"
                + "\"max\":{\"temperatureK\":3750,\"s2\":250,\"h2\":250,\"h2s\":200}}";
        jdbc.update("""
                insert into nade_model (id, dataset_id, artifact, artifact_sha256, artifact_size, hyper_parameters, seed,
                    profile_hash, split, steps, condition_ranges, dl4j_version, nd4j_backend, java_version,
                    training_seconds, epochs_run, best_epoch, validation_nll, test_nll, metrics)
                values (?, ?, ?, ?, ?, '{}'::jsonb, 3, ?, '{}'::jsonb, 20, ?::jsonb, 'test', 'test', 'test', 1, 8, 8, 0, 0,
                    '{}'::jsonb)
                """, nadeModelId, datasetId, nade.toBytes(), nade.sha256(), nade.artifactSize(),
                nade.provenance().profileHash(), ranges);

        var submitted = http.post("/api/v1/jobs/agent-training", "{\"nadeModelId\": \"" + nadeModelId
                + "\", \"episodes\": 320, \"batchSize\": 32, \"sigma\": 1.0, \"seed\": 77,"
                + " \"maxChangePerStep\": {\"temperatureK\": 1500, \"s2\": 60, \"h2\": 60, \"h2s\": 60}}");
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        UUID jobId = UUID.fromString(submitted.json().get("id").asString());
        assertThat(submitted.header("Location")).isEqualTo("/api/v1/jobs/" + jobId);
        TestHttp.await("agent training job", Duration.ofSeconds(240), () -> http.get("/api/v1/jobs/" + jobId).json()
                .get("status").asString().matches("SUCCEEDED|FAILED|CANCELLED"));
        JsonNode job = http.get("/api/v1/jobs/" + jobId).json();
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("progress").get("done").asLong()).isEqualTo(320);
        assertThat(job.get("progress").get("unit").asString()).startsWith("episodes");
        assertThat(job.get("metrics").get("meanObjective").size()).isGreaterThanOrEqualTo(5);
        agentId = UUID.fromString(job.get("result").get("agentId").asString());
    }

    @AfterAll
    void cleanUp() {
        jdbc.update("delete from proposal where agent_id in (select id from agent where nade_model_id = ?)", nadeModelId);
        jdbc.update("delete from agent where nade_model_id = ?", nadeModelId);
        jdbc.update("delete from nade_model where id = ?", nadeModelId);
        jdbc.update("delete from dataset where name = ?", DATASET_NAME);
    }

    @Test
    void theStoredAgentCarriesItsProvenanceRewardCurveAndBaselines() {
        JsonNode agent = http.get("/api/v1/agents/" + agentId).json();
        assertThat(agent.get("agent").get("nadeModelId").asString()).isEqualTo(nadeModelId.toString());
        assertThat(agent.get("agent").get("objective").asString()).isEqualTo("MAX_2H_EARLY");
        assertThat(agent.get("agent").get("episodes").asLong()).isEqualTo(320);
        assertThat(agent.get("hyperParameters").get("seed").asLong()).isEqualTo(77);
        assertThat(agent.get("hyperParameters").get("maxChangePerStep").get("temperatureK").asDouble()).isEqualTo(1500);
        assertThat(agent.get("provenance").get("nadeModelSha256").asString()).isEqualTo(AgentTestModels.nade().sha256());
        assertThat(agent.get("rewardCurve").size()).isEqualTo(10);
        JsonNode baselines = agent.get("baselines");
        assertThat(baselines.get("randomWalk").get("schedules").asInt()).isEqualTo(40);
        assertThat(baselines.get("agent").get("schedules").asInt()).isEqualTo(8);
        // equal budgets: 320 training + 160 refinement episodes; CEM spends whole populations of 250
        assertThat(baselines.get("agentRefined").get("nadeEpisodes").asLong()).isEqualTo(320 + 250);
        assertThat(baselines.get("crossEntropy").get("nadeEpisodes").asLong()).isEqualTo(250);
        assertThat(baselines.get("randomWalk").get("nadeEpisodes").asLong()).isEqualTo(480);
        assertThat(baselines.get("winner").asString()).isIn("agent", "agent+cross-entropy", "cross-entropy",
                "random-walk");
        // the margin is the winner's selection objective over the best other method's, recomputed here
        String winner = baselines.get("winner").asString();
        double winnerObjective = Double.NaN;
        double runnerUp = Double.NEGATIVE_INFINITY;
        for (String method : List.of("agent", "agentRefined", "crossEntropy", "randomWalk")) {
            JsonNode result = baselines.get(method);
            double objective = result.path("nadeRobustObjective").isNumber() ? result.get("nadeRobustObjective").asDouble()
                    : result.get("nadeBestObjective").asDouble();
            if (result.get("method").asString().equals(winner)) {
                winnerObjective = objective;
            } else {
                runnerUp = Math.max(runnerUp, objective);
            }
        }
        assertThat(baselines.get("margin").asDouble()).isCloseTo(winnerObjective - runnerUp,
                org.assertj.core.data.Offset.offset(1e-9));
        assertThat(baselines.get("agent").get("simulatedBestFinal2H").isNumber()).isTrue();
        JsonNode list = http.get("/api/v1/agents?nadeModelId=" + nadeModelId).json().get("items");
        List<String> ids = new ArrayList<>();
        list.forEach(a -> ids.add(a.get("id").asString()));
        assertThat(ids).contains(agentId.toString());
    }

    @Test
    void proposalsAreStoredWithForecastsRecipesValidationsAndPhaseOrder() {
        var created = http.post("/api/v1/agents/" + agentId + "/proposals",
                "{\"count\": 3, \"mode\": \"sampled\", \"seed\": 5, \"rollouts\": 16}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode proposals = created.json().get("items");
        assertThat(proposals.size()).isEqualTo(3);
        assertThat(proposals.get(0).get("objectiveValue").asDouble())
                .isGreaterThanOrEqualTo(proposals.get(2).get("objectiveValue").asDouble());
        String id = proposals.get(0).get("id").asString();
        assertThat(created.header("Location")).isEqualTo("/api/v1/proposals/" + id);

        JsonNode proposal = http.get("/api/v1/proposals/" + id).json();
        assertThat(proposal.get("mode").asString()).isEqualTo("SAMPLED");
        assertThat(proposal.get("schedule").size()).isEqualTo(20);
        assertThat(proposal.get("predicted").size()).isEqualTo(20);
        JsonNode step5 = proposal.get("predicted").get(5);
        assertThat(step5.get("p5").get("phase2H").asDouble()).isLessThanOrEqualTo(step5.get("p95").get("phase2H").asDouble());
        JsonNode schedule = proposal.get("schedule");
        for (int t = 1; t < 20; t++) {
            assertThat(Math.abs(schedule.get(t).get("temperatureK").asDouble()
                    - schedule.get(t - 1).get("temperatureK").asDouble())).isLessThanOrEqualTo(1500 + 1e-6);
        }

        var csv = http.get("/api/v1/proposals/" + id + "/recipe.csv");
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        String[] lines = csv.body().split("\n");
        assertThat(lines).hasSize(21);
        assertThat(lines[0]).isEqualTo("step,time_ns,temperature_k,s2,h2,h2s");
        assertThat(lines[3]).startsWith("2,2.0," + schedule.get(2).get("temperatureK").asDouble() + ",");
        JsonNode json = http.get("/api/v1/proposals/" + id + "/recipe.json").json();
        assertThat(json.get("steps").size()).isEqualTo(20);
        assertThat(json.get("steps").get(19).get("timeNs").asDouble()).isEqualTo(19.0);

        var validated = http.post("/api/v1/proposals/" + id + "/validations", "{\"replicas\": 4, \"seed\": 9}");
        assertThat(validated.status()).as(validated.body()).isEqualTo(201);
        JsonNode validation = validated.json();
        assertThat(validation.get("replicas").asInt()).isEqualTo(4);
        assertThat(validation.get("steps").size()).isEqualTo(20);
        JsonNode errors = validation.get("errors");
        // a model of the simulator forecast against the simulator: off by a few per cent, not 0
        assertThat(errors.get("rmse").get("phase2H").asDouble()).isBetween(1e-4, 0.3);
        assertThat(errors.get("final2HDifferenceAtoms").asDouble())
                .isCloseTo(errors.get("final2HDifference").asDouble() * 288, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(validated.header("Location")).isEqualTo("/api/v1/proposals/" + id + "/validations/"
                + validation.get("id").asString());
        assertThat(http.get(validated.header("Location")).status()).isEqualTo(200);
        assertThat(http.get("/api/v1/proposals/" + id).json().get("validationIds").size()).isEqualTo(1);

        JsonNode order = http.get("/api/v1/proposals/" + id + "/phase-order").json();
        assertThat(order.get("predicted").get("oneTPeakStep").isInt()).isTrue();
        assertThat(order.get("simulated").get("twoHPeakStep").isInt()).isTrue();
        assertThat(order.get("validationId").asString()).isEqualTo(validation.get("id").asString());
        assertThat(order.get("schedule").get("peakTemperatureK").asDouble()).isBetween(750.0, 3750.0);

        assertThat(http.get("/api/v1/agents/" + agentId + "/proposals").json().get("items").size())
                .isGreaterThanOrEqualTo(3);
        // one of them is the comparison winner's schedule unless the agent itself won
        String winner = http.get("/api/v1/agents/" + agentId).json().get("baselines").get("winner").asString();
        List<String> methods = new ArrayList<>();
        proposals.forEach(p -> methods.add(p.get("method").asString()));
        if ("agent".equals(winner)) {
            assertThat(methods).containsOnly("agent");
        } else {
            assertThat(methods).containsExactlyInAnyOrder(winner, "agent", "agent");
        }
        assertThat(proposal.get("horizon").asInt()).isEqualTo(20);
    }

    @Test
    void proposalsAndAgentTrainingJobsCarryTheLimsExternalRef() {
        String ref = "REQ-" + UUID.randomUUID();
        var created = http.post("/api/v1/agents/" + agentId + "/proposals",
                "{\"count\": 2, \"seed\": 9, \"rollouts\": 4, \"externalRef\": \"" + ref + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().get("items").get(0).get("externalRef").asString();
        assertThat(id).isEqualTo(ref);
        String proposalId = created.json().get("items").get(0).get("id").asString();
        assertThat(http.get("/api/v1/proposals/" + proposalId).json().get("externalRef").asString()).isEqualTo(ref);
        assertThat(http.get("/api/v1/agents/" + agentId + "/proposals?externalRef=" + ref).json().get("items").size())
                .isEqualTo(2);
        assertThat(http.get("/api/v1/proposals?externalRef=" + ref).json().get("items").size()).isEqualTo(2);
        assertThat(http.get("/api/v1/proposals?externalRef=" + ref + "-other").json().get("items").size()).isZero();

        var job = http.post("/api/v1/jobs/agent-training", "{\"nadeModelId\": \"" + nadeModelId
                + "\", \"episodes\": 32, \"batchSize\": 32, \"externalRef\": \"" + ref + "\"}");
        assertThat(job.status()).as(job.body()).isEqualTo(202);
        String jobId = job.json().get("id").asString();
        http.post("/api/v1/jobs/" + jobId + "/cancel", "");
        assertThat(http.get("/api/v1/jobs/" + jobId).json().get("externalRef").asString()).isEqualTo(ref);
        assertThat(http.get("/api/v1/jobs?externalRef=" + ref).json().get("items").get(0).get("id").asString())
                .isEqualTo(jobId);
    }

    @Test
    void deterministicProposalsComeFromTheComparisonsWinnerAndLongOnesFlagExtrapolation() {
        JsonNode agent = http.get("/api/v1/agents/" + agentId).json();
        String winner = agent.get("baselines").get("winner").asString();
        JsonNode best = http.post("/api/v1/agents/" + agentId + "/proposals", "{\"seed\": 3, \"rollouts\": 8}").json()
                .get("items").get(0);
        assertThat(best.get("method").asString()).isEqualTo(winner);

        var created = http.post("/api/v1/agents/" + agentId + "/proposals", "{\"steps\": 40, \"seed\": 4, \"rollouts\": 8}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode p = created.json().get("items").get(0);
        assertThat(p.get("method").asString()).isEqualTo("agent");
        assertThat(p.get("schedule").size()).isEqualTo(40);
        assertThat(p.get("predicted").size()).isEqualTo(40);
        assertThat(p.get("predicted").get(19).get("extrapolated").asBoolean()).isFalse();
        assertThat(p.get("predicted").get(20).get("extrapolated").asBoolean()).isTrue();
        assertThat(p.get("warnings").toString()).contains("horizon");
    }

    @Test
    void aLabResultRoundTripProposeMeasureCompareAndTrainOnIt() {
        var dataset = http.post("/api/v1/datasets", "{\"name\":\"furnace-2 runs\",\"stepCount\":20}");
        long datasetId = dataset.json().get("id").asLong();
        var campaign = http.post("/api/v1/datasets/" + datasetId + "/simulations", "{\"count\": 60, \"seed\": 4}");
        assertThat(campaign.status()).as(campaign.body()).isEqualTo(202);
        String campaignJob = campaign.json().get("id").asString();
        TestHttp.await("simulation campaign", Duration.ofSeconds(120), () -> http.get("/api/v1/jobs/" + campaignJob).json()
                .get("status").asString().equals("SUCCEEDED"));
        JsonNode proposal = http.post("/api/v1/agents/" + agentId + "/proposals",
                "{\"count\": 1, \"mode\": \"sampled\", \"seed\": 8, \"rollouts\": 8}").json().get("items").get(0);
        String proposalId = proposal.get("id").asString();

        // the "lab": one simulator run of the proposed recipe
        StringBuilder schedule = new StringBuilder();
        for (JsonNode step : proposal.get("schedule")) {
            schedule.append(schedule.length() == 0 ? "" : ",").append("{\"temperatureK\":").append(step.get("temperatureK").asDouble())
                    .append(",\"s2\":").append(step.get("s2").asDouble()).append(",\"h2\":").append(step.get("h2").asDouble())
                    .append(",\"h2s\":").append(step.get("h2s").asDouble()).append('}');
        }
        var run = http.post("/api/v1/simulations/runs", "{\"schedules\":[{\"steps\":[" + schedule + "]}],\"replicas\":1,\"seed\":21}");
        assertThat(run.status()).as(run.body()).isEqualTo(200);
        StringBuilder measured = new StringBuilder();
        StringBuilder csv = new StringBuilder("t,phase_2h,phase_1t,phase_defect\n");
        for (JsonNode step : run.json().get("results").get(0).get("trajectory")) {
            int t = step.get("t").asInt();
            double h = step.get("phase2H").get("mean").asDouble();
            double o = step.get("phase1T").get("mean").asDouble();
            double d = 1 - h - o;
            measured.append(measured.length() == 0 ? "" : ",").append("{\"t\":").append(t).append(",\"phase2H\":").append(h)
                    .append(",\"phase1T\":").append(o).append(",\"phaseDefect\":").append(d).append('}');
            if (t < 5) {
                csv.append(t).append(',').append(h).append(',').append(o).append(',').append(d).append('\n');
            }
        }
        long before = datasets.count(datasetId);
        var whole = http.post("/api/v1/proposals/" + proposalId + "/lab-results", "{\"datasetId\":" + datasetId
                + ",\"externalRef\":\"S-2026-0042\",\"steps\":[" + measured + "]}");
        assertThat(whole.status()).as(whole.body()).isEqualTo(201);
        JsonNode result = whole.json();
        assertThat(result.get("whole").asBoolean()).isTrue();
        assertThat(whole.header("Location")).isEqualTo("/api/v1/lab-results/" + result.get("id").asString());
        JsonNode comparison = result.get("comparison");
        assertThat(comparison.get("steps").size()).isEqualTo(20);
        int inside = 0;
        for (int t = 0; t < 20; t++) {
            JsonNode measuredStep = result.get("measured").get(t);
            JsonNode band = proposal.get("predicted").get(t);
            for (String phase : List.of("phase2H", "phase1T", "phaseDefect")) {
                double v = measuredStep.get(phase).asDouble();
                inside += v >= band.get("p5").get(phase).asDouble() && v <= band.get("p95").get(phase).asDouble() ? 1 : 0;
            }
        }
        assertThat(comparison.get("shareInsideBand").asDouble()).as("measured values inside the p5-p95 band")
                .isCloseTo(inside / 60.0, org.assertj.core.data.Offset.offset(1e-12));
        double final2H = result.get("measured").get(19).get("phase2H").asDouble()
                - proposal.get("predicted").get(19).get("mean").get("phase2H").asDouble();
        assertThat(comparison.get("final2HError").asDouble()).isCloseTo(final2H, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(comparison.get("final2HErrorAtoms").asDouble()).isCloseTo(final2H * 288, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(datasets.count(datasetId)).isEqualTo(before + 1);
        String profileId = result.get("profileId").asString();
        JsonNode profile = http.get("/api/v1/datasets/" + datasetId + "/profiles/" + profileId).json();
        assertThat(profile.get("steps").get(7).get("temperatureK").asDouble())
                .isEqualTo(proposal.get("schedule").get(7).get("temperatureK").asDouble());

        // partial, as CSV: compared, not a training profile
        var partial = http.send("POST", "/api/v1/proposals/" + proposalId + "/lab-results?datasetId=" + datasetId
                + "&externalRef=S-2026-0043", "text/csv", csv.toString());
        assertThat(partial.status()).as(partial.body()).isEqualTo(201);
        assertThat(partial.json().get("whole").asBoolean()).isFalse();
        assertThat(partial.json().get("stepsMeasured").asInt()).isEqualTo(5);
        assertThat(partial.json().get("comparison").get("final2HError").isNull()).isTrue();
        assertThat(datasets.count(datasetId)).isEqualTo(before + 1);
        assertThat(http.get("/api/v1/proposals/" + proposalId + "/lab-results").json().get("items").size()).isEqualTo(2);
        assertThat(http.get("/api/v1/agents/" + agentId + "/lab-results?externalRef=S-2026-0042").json().get("items").size())
                .isEqualTo(1);

        // bad input: 4xx naming the field, nothing stored
        Integer stored = jdbc.queryForObject("select count(*) from lab_result", Integer.class);
        String tooMany = measured + ",{\"t\":20,\"phase2H\":0.5,\"phase1T\":0.2,\"phaseDefect\":0.3}";
        assertProblem(http.post("/api/v1/proposals/" + proposalId + "/lab-results", "{\"datasetId\":" + datasetId
                + ",\"steps\":[" + tooMany + "]}"), 400, "steps");
        assertProblem(http.post("/api/v1/proposals/" + proposalId + "/lab-results", "{\"datasetId\":" + datasetId
                + ",\"steps\":[{\"t\":3,\"phase2H\":0.5,\"phase1T\":0.5,\"phaseDefect\":0.5}]}"), 400, "steps[0]");
        assertProblem(http.post("/api/v1/proposals/" + proposalId + "/lab-results", "{\"datasetId\":" + datasetId
                + ",\"steps\":[{\"t\":20,\"phase2H\":0.5,\"phase1T\":0.2,\"phaseDefect\":0.3}]}"), 400, "steps[0].t");
        assertProblem(http.post("/api/v1/proposals/" + proposalId + "/lab-results", "{\"steps\":[" + measured + "]}"), 400, "datasetId");
        assertThat(jdbc.queryForObject("select count(*) from lab_result", Integer.class)).isEqualTo(stored);
        assertThat(datasets.count(datasetId)).isEqualTo(before + 1);

        // the next NADE training uses the dataset with the lab result in it
        var training = http.post("/api/v1/jobs/nade-training", "{\"datasetId\":" + datasetId + ",\"epochs\":1,\"batchSize\":16}");
        assertThat(training.status()).as(training.body()).isEqualTo(202);
        String trainingJob = training.json().get("id").asString();
        TestHttp.await("NADE training on the dataset with the lab result", Duration.ofSeconds(180), () -> http
                .get("/api/v1/jobs/" + trainingJob).json().get("status").asString().matches("SUCCEEDED|FAILED|CANCELLED"));
        JsonNode trained = http.get("/api/v1/jobs/" + trainingJob).json();
        assertThat(trained.get("status").asString()).as(trained.toString()).isEqualTo("SUCCEEDED");
        JsonNode model = http.get("/api/v1/models/" + trained.get("result").get("modelId").asString()).json();
        assertThat(model.get("model").get("datasetId").asLong()).isEqualTo(datasetId);
        assertThat(datasets.loadArrays(datasetId).profileCount()).isEqualTo((int) before + 1);
    }

    @Test
    void thirtyTwoConcurrentRetriesOfAProposalAndOfAValidationStoreEachOnce() throws Exception {
        Integer before = jdbc.queryForObject("select count(*) from proposal where agent_id = ?", Integer.class, agentId);
        List<TestHttp.Response> proposed = Concurrently.run(32, () -> http.post("/api/v1/agents/" + agentId + "/proposals",
                "{\"count\": 2, \"mode\": \"sampled\", \"seed\": 41, \"rollouts\": 8}", "lims-proposal-1"));
        assertThat(proposed).allSatisfy(r -> {
            assertThat(r.status()).as(r.body()).isEqualTo(201);
            assertThat(r.body()).isEqualTo(proposed.get(0).body());
        });
        assertThat(jdbc.queryForObject("select count(*) from proposal where agent_id = ?", Integer.class, agentId))
                .isEqualTo(before + 2);
        String proposal = proposed.get(0).json().get("items").get(0).get("id").asString();
        List<TestHttp.Response> validated = Concurrently.run(32, () -> http.post("/api/v1/proposals/" + proposal + "/validations",
                "{\"replicas\": 2, \"seed\": 3}", "lims-validation-1"));
        assertThat(validated).allSatisfy(r -> {
            assertThat(r.status()).as(r.body()).isEqualTo(201);
            assertThat(r.body()).isEqualTo(validated.get(0).body());
        });
        assertThat(http.get("/api/v1/proposals/" + proposal).json().get("validationIds").size()).isEqualTo(1);
    }

    @Test
    void initialS2AnalysisReturnsTwoDensities() {
        var response = http.get("/api/v1/agents/" + agentId + "/analyses/initial-s2?count=40&bins=20&seed=3");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode result = response.json();
        assertThat(result.get("binEdges").size()).isEqualTo(21);
        for (String group : List.of("low", "high")) {
            JsonNode g = result.get(group);
            assertThat(g.get("schedules").asInt()).isEqualTo(20);
            assertThat(g.get("values").asInt()).isEqualTo(200);
            double integral = 0;
            for (JsonNode d : g.get("density")) {
                integral += d.asDouble() / 20;
            }
            assertThat(integral).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        }
        assertThat(result.get("low").get("meanInitialS2").asDouble())
                .isLessThan(result.get("high").get("meanInitialS2").asDouble());
        var simulated = http.get("/api/v1/agents/" + agentId + "/analyses/initial-s2?count=20&source=simulator&seed=3");
        assertThat(simulated.status()).as(simulated.body()).isEqualTo(200);
        assertThat(simulated.json().get("settings").get("source").asString()).isEqualTo("SIMULATOR");
    }

    private void assertProblem(TestHttp.Response r, int status, String field) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        if (field != null) {
            assertThat(r.json().get("field").asString()).as(r.body()).isEqualTo(field);
        }
    }

    @Test
    void badRequestsGiveProblemDetails() {
        UUID unknown = UUID.randomUUID();
        assertProblem(http.get("/api/v1/agents/" + unknown), 404, null);
        assertThat(http.get("/api/v1/agents/" + unknown).json().get("agentId").asString()).isEqualTo(unknown.toString());
        assertProblem(http.post("/api/v1/agents/" + unknown + "/proposals", "{}"), 404, null);
        assertProblem(http.get("/api/v1/proposals/" + unknown), 404, null);
        assertProblem(http.get("/api/v1/proposals/" + unknown + "/recipe.csv"), 404, null);
        assertProblem(http.post("/api/v1/proposals/" + unknown + "/validations", "{}"), 404, null);

        String model = "\"nadeModelId\": \"" + nadeModelId + "\"";
        assertProblem(http.post("/api/v1/jobs/agent-training", "{" + model + ", \"objective\": \"MOST_2H\"}"), 422,
                "objective");
        assertProblem(http.post("/api/v1/jobs/agent-training", "{" + model + ", \"episodes\": 0}"), 422, "episodes");
        assertProblem(http.post("/api/v1/jobs/agent-training", "{" + model + ", \"sigma\": -1}"), 422, "sigma");
        assertProblem(http.post("/api/v1/jobs/agent-training", "{" + model + ", \"sigmaFinal\": 5}"), 422, "sigmaFinal");
        assertProblem(http.post("/api/v1/jobs/agent-training", "{" + model + ", \"fixedGases\": {\"h2\": 900}}"), 422,
                "fixedGases.h2");
        assertProblem(http.post("/api/v1/jobs/agent-training", "{" + model + ", \"minHoldSteps\": 0}"), 422,
                "minHoldSteps");
        assertProblem(http.post("/api/v1/jobs/agent-training", "{" + model + ", \"maxChangePerStep\": {\"temperatureK\": 0,"
                + " \"s2\": 10, \"h2\": 10, \"h2s\": 10}}"), 422, "maxChangePerStep.temperatureK");
        assertProblem(http.post("/api/v1/jobs/agent-training", "{" + model + ", \"objective\": \"TARGET_MIXTURE\"}"),
                422, "targetMixture");
        assertProblem(http.post("/api/v1/jobs/agent-training", "{\"nadeModelId\": \"" + unknown + "\"}"), 422,
                "nadeModelId");
        var missing = http.post("/api/v1/jobs/agent-training", "{}");
        assertThat(missing.status()).as(missing.body()).isBetween(400, 422);
        assertThat(missing.body()).contains("nadeModelId");
        assertProblem(http.post("/api/v1/jobs/agent-training", "{" + model + ", \"episodes\": \"many\"}"), 400, null);

        String proposals = "/api/v1/agents/" + agentId + "/proposals";
        assertProblem(http.post(proposals, "{\"count\": 0}"), 422, "count");
        assertProblem(http.post(proposals, "{\"mode\": \"greedy\"}"), 422, "mode");
        assertProblem(http.post(proposals, "{\"rollouts\": 0}"), 422, "rollouts");
        assertProblem(http.post(proposals, "{\"steps\": 2}"), 422, "steps");
        assertProblem(http.post(proposals, "{\"steps\": 100000}"), 422, "steps");
        assertProblem(http.post(proposals, "{\"initialConditions\": {\"temperatureK\": 5000, \"s2\": 50, \"h2\": 50, "
                + "\"h2s\": 50}}"), 422, "initialConditions");
        assertProblem(http.get("/api/v1/agents/" + agentId + "/analyses/initial-s2?count=1"), 422, "count");
        assertProblem(http.get("/api/v1/agents/" + agentId + "/analyses/initial-s2?lowS2Max=300"), 422, "lowS2Max");
        assertProblem(http.get("/api/v1/agents/" + agentId + "/analyses/initial-s2?source=lab"), 422, "source");
        assertProblem(http.get("/api/v1/agents?limit=0"), 422, "limit");
        String proposalId = http.post(proposals, "{\"seed\": 1}").json().get("items").get(0).get("id").asString();
        var badReplicas = http.post("/api/v1/proposals/" + proposalId + "/validations", "{\"replicas\": 0}");
        assertThat(badReplicas.status()).as(badReplicas.body()).isEqualTo(422);
        assertThat(badReplicas.body()).contains("replicas");
    }

    @Test
    void aKilledTrainingJobResumesFromItsCheckpoint() throws Exception {
        AgentTrainingParameters p = AgentTrainingParameters.of(nadeModelId).withEpisodes(6 * 32).withBatchSize(32)
                .withBaselines(false);
        // "killed" (stopped) as soon as the first checkpoint is saved
        InMemoryJobContext killed = InMemoryJobContext.fresh(123);
        killed.beforeSave(state -> killed.cancel());
        assertThatThrownBy(() -> handler.run(p, killed)).isInstanceOf(JobCancelledException.class);
        assertThat(killed.savedCheckpoints).hasSize(1);
        long resumedFrom = AgentTrainer.checkpointEpisodes(Artifacts.unzip(killed.lastCheckpoint(), Agent.MAX_ENTRY_BYTES,
                "agent").get("trainer-checkpoint.zip"));
        assertThat(resumedFrom).isEqualTo(32);
        InMemoryJobContext context = killed.resumed();
        var result = handler.run(p, context);
        assertThat(context.progress.get(0)).isEqualTo(resumedFrom);
        UUID resumedAgent = UUID.fromString((String) result.values().get("agentId"));
        Agent straight = new AgentTrainer(p.hyperParameters(123, 20), new AgentProperties(0, Duration.ZERO, 1, 1, 2, 1,
                1, 1, 0, 1, 0.5).effectiveThreads()).train(AgentTestModels.nade(), AgentTrainingListener.NONE);
        assertThat(registry.load(resumedAgent).agent().rewardCurve()).isEqualTo(straight.rewardCurve());
        // a rerun after success finds the stored agent instead of training again
        assertThat(handler.run(p, context.resumed()).values().get("agentId")).isEqualTo(resumedAgent.toString());
    }
}
