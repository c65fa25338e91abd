package org.cvdplanner.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The whole method, end to end, through the service's public HTTP API: simulate a training set,
 * train NADE-CVD, train the REINFORCE agent, propose schedules, validate them on the simulator,
 * and summarise (agent vs baselines, predicted vs simulated 2H). Public: the end-to-end test
 * runs the same pipeline at a small size.
 */
public final class DemoPipeline {

    private static final Logger log = LoggerFactory.getLogger(DemoPipeline.class);
    private static final Duration JOB_TIMEOUT = Duration.ofHours(3);

    /** Sizes of one run (the demo's defaults, or tiny ones in the end-to-end test). */
    public record Settings(int profiles, int nadeEpochs, int nadeBatchSize, int agentEpisodes, int agentBatchSize,
            int proposals, int validationReplicas, long seed) {
    }

    /** What the run produced and measured. */
    public record Summary(long datasetId, String nadeModelId, String agentId, List<String> proposalIds,
            Map<String, Object> figures, List<String> lines) {
    }

    private final ApiClient api;

    public DemoPipeline(ApiClient api) {
        this.api = api;
    }

    public Summary run(Settings s) {
        long started = System.nanoTime();
        Map<String, Object> figures = new LinkedHashMap<>();

        JsonNode dataset = api.post("/api/v1/datasets", Map.of("name", "demo: simulated MoS2 CVD",
                "description", s.profiles() + " random-walk schedules run through the built-in kinetic CVD simulator "
                        + "(a model of its own, not reactive MD)"));
        long datasetId = dataset.get("id").asLong();
        log.info("demo 1/5: simulating {} profiles into dataset {}", s.profiles(), datasetId);
        long t0 = System.nanoTime();
        api.runJob("/api/v1/datasets/" + datasetId + "/simulations",
                Map.of("count", s.profiles(), "seed", s.seed(), "scheduleSource", "RANDOM_WALK"), JOB_TIMEOUT,
                job -> progress("simulation", job));
        figures.put("simulationSeconds", seconds(t0));

        log.info("demo 2/5: training NADE-CVD on dataset {}", datasetId);
        t0 = System.nanoTime();
        Map<String, Object> nadeRequest = new LinkedHashMap<>();
        nadeRequest.put("datasetId", datasetId);
        // the job's recommended setting (batch 32, Adam 1e-3 with cosine decay; docs/nade.md)
        nadeRequest.put("epochs", s.nadeEpochs());
        nadeRequest.put("batchSize", s.nadeBatchSize());
        nadeRequest.put("seed", s.seed());
        JsonNode nadeJob = api.runJob("/api/v1/jobs/nade-training", nadeRequest, JOB_TIMEOUT, job -> progress("NADE training", job));
        String modelId = id(nadeJob.get("result"), "modelId", "nadeModelId", "id");
        figures.put("nadeTrainingSeconds", seconds(t0));
        JsonNode model = api.get("/api/v1/models/" + modelId);
        figures.put("nadeModel", model.path("metrics"));

        log.info("demo 3/5: training the REINFORCE agent ({} episodes) against NADE model {}", s.agentEpisodes(), modelId);
        t0 = System.nanoTime();
        Map<String, Object> agentRequest = new LinkedHashMap<>();
        agentRequest.put("nadeModelId", modelId);
        agentRequest.put("episodes", s.agentEpisodes());
        agentRequest.put("batchSize", s.agentBatchSize());
        agentRequest.put("seed", s.seed());
        JsonNode agentJob = api.runJob("/api/v1/jobs/agent-training", agentRequest, JOB_TIMEOUT, job -> progress("agent training", job));
        String agentId = id(agentJob.get("result"), "agentId", "id");
        figures.put("agentTrainingSeconds", seconds(t0));
        JsonNode agent = api.get("/api/v1/agents/" + agentId);

        log.info("demo 4/5: proposing {} schedules with agent {}", s.proposals(), agentId);
        JsonNode proposals = api.post("/api/v1/agents/" + agentId + "/proposals",
                Map.of("count", s.proposals(), "seed", s.seed(), "mode", "DETERMINISTIC"));
        JsonNode items = proposals.has("items") ? proposals.get("items") : proposals;
        List<String> proposalIds = new ArrayList<>();
        items.forEach(p -> proposalIds.add(p.get("id").asString()));

        log.info("demo 5/5: validating {} proposals on the simulator ({} replicas each)", proposalIds.size(), s.validationReplicas());
        List<JsonNode> validations = new ArrayList<>();
        for (String proposalId : proposalIds) {
            validations.add(api.post("/api/v1/proposals/" + proposalId + "/validations",
                    Map.of("replicas", s.validationReplicas(), "seed", s.seed())));
        }
        figures.put("totalSeconds", seconds(started));

        List<String> lines = summary(datasetId, modelId, model, agentId, agent, items, validations, figures);
        lines.forEach(log::info);
        return new Summary(datasetId, modelId, agentId, proposalIds, figures, lines);
    }

    private static List<String> summary(long datasetId, String modelId, JsonNode model, String agentId, JsonNode agent,
            JsonNode proposals, List<JsonNode> validations, Map<String, Object> figures) {
        List<String> lines = new ArrayList<>();
        lines.add("==== cvd-planner demo summary ====");
        lines.add(String.format("dataset %d; NADE model %s; agent %s; wall time %.0f s (simulate %.0f s, NADE %.0f s, agent %.0f s)",
                datasetId, modelId, agentId, (double) figures.get("totalSeconds"), (double) figures.get("simulationSeconds"),
                (double) figures.get("nadeTrainingSeconds"), (double) figures.get("agentTrainingSeconds")));
        JsonNode lastStep = model.path("metrics").path("lastStep");
        if (lastStep.has("rmse")) {
            lines.add(String.format("NADE held-out error at the last step (RMSE, atoms of 288): 2H %.1f, 1T %.1f, defect %.1f",
                    lastStep.get("rmse").get(0).asDouble() * 288, lastStep.get("rmse").get(1).asDouble() * 288,
                    lastStep.get("rmse").get(2).asDouble() * 288));
        }
        JsonNode baselines = agent.path("baselines");
        if (baselines.has("agent")) {
            lines.add(String.format("%-14s %10s %12s %14s %16s", "method", "schedules", "NADE mean 2H", "NADE best 2H",
                    "simulated best 2H"));
            for (String method : List.of("agent", "randomWalk", "crossEntropy")) {
                JsonNode m = baselines.path(method);
                lines.add(String.format("%-14s %10d %12.3f %14.3f %16s", m.path("method").asString(method),
                        m.path("schedules").asInt(), m.path("nadeMeanFinal2H").asDouble(), m.path("nadeBestFinal2H").asDouble(),
                        m.path("simulatedBestFinal2H").isNumber() ? String.format("%.3f", m.get("simulatedBestFinal2H").asDouble()) : "-"));
            }
            if (baselines.has("winner")) {
                lines.add(String.format("comparison at equal NADE episodes won by %s (by %.4f); proposals use it",
                        baselines.get("winner").asString(), baselines.path("margin").asDouble()));
                baselines.path("warnings").forEach(w -> lines.add("warning: " + w.asString()));
            }
            double agentMean = baselines.path("agent").path("nadeMeanFinal2H").asDouble();
            double randomMean = baselines.path("randomWalk").path("nadeMeanFinal2H").asDouble();
            if (randomMean > 0) {
                lines.add(String.format("agent / random-walk mean final 2H on NADE: %.2fx", agentMean / randomMean));
                figures.put("agentOverRandom", agentMean / randomMean);
            }
        }
        double bestSimulated = -1;
        for (int i = 0; i < validations.size(); i++) {
            JsonNode v = validations.get(i);
            double predicted = v.path("predictedFinal2H").asDouble(Double.NaN);
            double simulated = v.path("simulatedFinal2H").asDouble(Double.NaN);
            lines.add(String.format("proposal %s: final 2H predicted %.3f, simulated %.3f (%d replicas)",
                    proposals.get(i).get("id").asString(), predicted, simulated, v.path("replicas").asInt()));
            if (!Double.isNaN(simulated)) {
                bestSimulated = Math.max(bestSimulated, simulated);
            }
        }
        if (bestSimulated >= 0) {
            lines.add(String.format("best proposal, final 2H validated on the simulator: %.3f", bestSimulated));
            figures.put("bestSimulatedFinal2H", bestSimulated);
        }
        lines.add("explore: /swagger-ui.html, /api/v1/agents/" + agentId + ", /api/v1/proposals/{id}/recipe.csv");
        return lines;
    }

    private static String id(JsonNode result, String... keys) {
        for (String key : keys) {
            if (result != null && result.has(key)) {
                return result.get(key).asString();
            }
        }
        throw new IllegalStateException("job result has none of " + List.of(keys) + ": " + result);
    }

    private String lastLogged = "";
    private long lastLoggedAt;

    /** Logs a job's progress at most every 5 % or 30 s, and every change of status. */
    private void progress(String what, JsonNode job) {
        JsonNode p = job.path("progress");
        String status = job.get("status").asString();
        long percent = p.has("done") && p.path("total").asLong() > 0 ? 100 * p.get("done").asLong() / p.get("total").asLong() : -1;
        String key = what + status + (percent < 0 ? "" : percent / 5);
        if (key.equals(lastLogged) && System.nanoTime() - lastLoggedAt < 30_000_000_000L) {
            return;
        }
        lastLogged = key;
        lastLoggedAt = System.nanoTime();
        if (percent >= 0) {
            log.info("demo: {} {} {}/{} {} ({} %)", what, status, p.get("done").asLong(), p.path("total").asLong(),
                    p.path("unit").asString(""), percent);
        } else {
            log.info("demo: {} {}", what, status);
        }
    }

    private static double seconds(long startNanos) {
        return Math.round((System.nanoTime() - startNanos) / 1e8) / 10.0;
    }
}
