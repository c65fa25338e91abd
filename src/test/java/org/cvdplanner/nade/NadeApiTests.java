package org.cvdplanner.nade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.cvdplanner.nade.NadeServiceFixtures.schedule;

import java.time.Duration;
import java.util.UUID;

import org.cvdplanner.testkit.ServiceTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** Training, registry and predictions over HTTP against a real server, engine and PostgreSQL. */
@ServiceTest
class NadeApiTests extends NadeDatasetTest {

    NadeApiTests() {
        super("nade-api", 3);
    }

    @Autowired
    NadeModels nadeModels;

    private String trainingBody(String extra) {
        return "{\"datasetId\": " + datasetId + ", \"epochs\": 3, \"batchSize\": 16, \"learningRate\": 0.003, "
                + "\"earlyStoppingPatience\": 0, \"seed\": 11" + extra + "}";
    }

    @Test
    void trainsStoresAndPredicts() {
        var submitted = http.post("/api/v1/jobs/nade-training", trainingBody(""));
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        String jobId = submitted.json().get("id").asString();
        JsonNode job = http.awaitJob(jobId, Duration.ofMinutes(4));
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("metrics").get("validationNll")).hasSize(3);
        assertThat(job.get("metrics").get("trainNll")).hasSize(3);
        assertThat(job.get("progress").get("fraction").asDouble()).isEqualTo(1.0);
        String modelId = job.get("result").get("modelId").asString();

        JsonNode model = http.get("/api/v1/models/" + modelId).json();
        assertThat(model.get("model").get("datasetId").asLong()).isEqualTo(datasetId);
        assertThat(model.get("model").get("trainingJobId").asString()).isEqualTo(jobId);
        assertThat(model.get("model").get("epochsRun").asInt()).isEqualTo(3);
        assertThat(model.get("model").get("seed").asLong()).isEqualTo(11);
        assertThat(model.get("model").get("artifactSha256").asString()).hasSize(64);
        assertThat(model.get("hyperParameters").get("batchSize").asInt()).isEqualTo(16);
        assertThat(model.get("split").get("testProfiles").asInt()).isEqualTo(6);
        assertThat(model.get("versions").get("dl4j").asString()).isEqualTo("1.0.0-M2.1");
        JsonNode metrics = model.get("metrics");
        assertThat(metrics.get("nllPerProfile").asDouble()).isEqualTo(model.get("model").get("testNll").asDouble());
        assertThat(metrics.get("rmsePerStepAtoms")).hasSize(20);
        assertThat(metrics.get("lastStep").get("rmseAtoms").get(0).asDouble())
                .isCloseTo(288 * metrics.get("lastStep").get("rmse").get(0).asDouble(), within(1e-9));
        assertThat(metrics.get("lastStep").get("truth")).hasSize(6);
        assertThat(metrics.get("bandCoverage90")).hasSize(3);

        JsonNode list = http.get("/api/v1/models?datasetId=" + datasetId).json();
        assertThat(list.get("models")).hasSize(1);
        var made = http.send("PUT", "/api/v1/models/" + modelId + "/default", null, null);
        assertThat(made.status()).isEqualTo(200);
        assertThat(made.json().get("isDefault").asBoolean()).isTrue();
        assertThat(nadeModels.defaultModelId()).contains(UUID.fromString(modelId));
        assertThat(nadeModels.load(UUID.fromString(modelId)).sha256())
                .isEqualTo(model.get("model").get("artifactSha256").asString());

        String request = "{\"schedules\": [" + schedule(3300, 60) + ", " + schedule(5000, 60)
                + "], \"rollouts\": 16, \"seed\": 5}";
        var predicted = http.post("/api/v1/models/" + modelId + "/predictions", request);
        assertThat(predicted.status()).as(predicted.body()).isEqualTo(200);
        JsonNode p = predicted.json();
        assertThat(p.get("seed").asLong()).isEqualTo(5);
        assertThat(p.get("predictions")).hasSize(2);
        JsonNode steps = p.get("predictions").get(0).get("steps");
        assertThat(steps).hasSize(20);
        assertThat(steps.get(0).get("phaseDefect").get("mean").asDouble()).isEqualTo(1.0);
        for (JsonNode step : steps) {
            double sum = step.get("phase2H").get("mean").asDouble() + step.get("phase1T").get("mean").asDouble()
                    + step.get("phaseDefect").get("mean").asDouble();
            assertThat(sum).isCloseTo(1.0, within(1e-6));
            assertThat(step.get("phase2H").get("p5").asDouble())
                    .isLessThanOrEqualTo(step.get("phase2H").get("p95").asDouble());
        }
        assertThat(p.get("predictions").get(0).get("warnings")).isEmpty();
        JsonNode warnings = p.get("predictions").get(1).get("warnings");
        assertThat(warnings).hasSize(8);
        assertThat(warnings.get(0).get("condition").asString()).isEqualTo("temperatureK");
        assertThat(warnings.get(0).get("value").asDouble()).isEqualTo(5000.0);
        var again = http.post("/api/v1/models/" + modelId + "/predictions", request);
        assertThat(again.json().get("predictions")).isEqualTo(p.get("predictions"));

        String url = "/api/v1/models/" + modelId + "/predictions";
        assertThat(steps.get(19).get("extrapolated").asBoolean()).isFalse();
        assertThat(steps.get(5).get("phase2H").has("sampleMean")).isTrue();
        JsonNode noHorizonWarning = p.get("predictions").get(0).get("horizonWarning");
        assertThat(noHorizonWarning == null || noHorizonWarning.isNull()).isTrue();
        assertThat(metrics.get("varianceScale")).hasSize(3);
        assertThat(metrics.get("lastStep").get("sampleMeanRmseAtoms")).hasSize(3);

        // a schedule longer than the training profiles rolls on past the horizon, flagged step by step
        var longer = http.post(url, "{\"schedules\": [" + schedule(3300, 60, 40) + "], \"rollouts\": 16, \"seed\": 5}");
        assertThat(longer.status()).as(longer.body()).isEqualTo(200);
        JsonNode longSteps = longer.json().get("predictions").get(0).get("steps");
        assertThat(longSteps).hasSize(40);
        for (int t = 0; t < 40; t++) {
            assertThat(longSteps.get(t).get("extrapolated").asBoolean()).as("step %d", t).isEqualTo(t >= 20);
            double sum = longSteps.get(t).get("phase2H").get("mean").asDouble()
                    + longSteps.get(t).get("phase1T").get("mean").asDouble()
                    + longSteps.get(t).get("phaseDefect").get("mean").asDouble();
            assertThat(sum).isCloseTo(1.0, within(1e-5));
        }
        JsonNode horizon = longer.json().get("predictions").get(0).get("horizonWarning");
        assertThat(horizon.get("firstStep").asInt()).isEqualTo(20);
        assertThat(horizon.get("trainingSteps").asInt()).isEqualTo(20);
        var tooLong = http.post(url, "{\"schedules\": [" + schedule(3300, 60, 201) + "]}");
        assertThat(tooLong.status()).as(tooLong.body()).isEqualTo(422);
        assertThat(tooLong.json().get("field").asString()).isEqualTo("steps");
        assertThat(tooLong.json().get("reason").asString()).contains("2 to 200");
        var mixed = http.post(url, "{\"schedules\": [" + schedule(3300, 60, 20) + ", " + schedule(3300, 60, 30) + "]}");
        assertThat(mixed.status()).as(mixed.body()).isEqualTo(422);
        assertThat(mixed.json().get("schedule").asInt()).isEqualTo(1);
        assertThat(mixed.json().get("field").asString()).isEqualTo("steps");
        var shortSchedule = http.post(url, "{\"schedules\": [{\"steps\": [{\"temperatureK\": 3000, \"s2\": 1, \"h2\": 1, \"h2s\": 1}]}]}");
        assertThat(shortSchedule.status()).isEqualTo(422);
        assertThat(shortSchedule.json().get("schedule").asInt()).isEqualTo(0);
        assertThat(shortSchedule.json().get("field").asString()).isEqualTo("steps");
        var negative = http.post(url, "{\"schedules\": [" + schedule(3300, 60) + ", "
                + schedule(3300, 60).replaceFirst("\"s2\":60.0", "\"s2\":-1") + "]}");
        assertThat(negative.status()).as(negative.body()).isEqualTo(422);
        assertThat(negative.json().get("schedule").asInt()).isEqualTo(1);
        assertThat(negative.json().get("step").asInt()).isEqualTo(0);
        assertThat(negative.json().get("field").asString()).isEqualTo("s2");
        var cold = http.post(url, "{\"schedules\": [" + schedule(0, 60) + "]}");
        assertThat(cold.status()).isEqualTo(422);
        assertThat(cold.json().get("field").asString()).isEqualTo("temperatureK");
        var tooMany = http.post(url, "{\"schedules\": [" + schedule(3300, 60) + "], \"rollouts\": 1000000}");
        assertThat(tooMany.status()).isEqualTo(422);
        assertThat(tooMany.json().get("field").asString()).isEqualTo("rollouts");
        var z0 = http.post(url, "{\"schedules\": [" + schedule(3300, 60)
                + "], \"z0\": {\"phase2H\": 0.5, \"phase1T\": 0.5, \"phaseDefect\": 0.5}}");
        assertThat(z0.status()).isEqualTo(422);
        assertThat(z0.json().get("field").asString()).isEqualTo("z0");
        assertThat(http.post(url, "{\"schedules\": []}").status()).isEqualTo(422);
        assertThat(http.post(url, "{\"schedules\": [{\"steps\": [{\"temperatureK\": \"hot\"}]}]}").status())
                .isEqualTo(400);

        // versions are immutable in the database too
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> jdbc.update(
                "update nade_model set metrics = '{}'::jsonb where id = ?", UUID.fromString(modelId)))
                .hasMessageContaining("immutable");
    }

    @Test
    void badTrainingRequestsAreProblemDetails() {
        var unknown = http.post("/api/v1/jobs/nade-training", "{\"datasetId\": 987654321}");
        assertThat(unknown.status()).isEqualTo(422);
        assertThat(unknown.json().get("field").asString()).isEqualTo("datasetId");
        var batch = http.post("/api/v1/jobs/nade-training", trainingBody(", \"batchSize\": 0"));
        assertThat(batch.status()).isEqualTo(422);
        assertThat(batch.json().get("field").asString()).isEqualTo("batchSize");
        var lr = http.post("/api/v1/jobs/nade-training", trainingBody(", \"learningRate\": 5"));
        assertThat(lr.status()).isEqualTo(422);
        assertThat(lr.json().get("field").asString()).isEqualTo("learningRate");
        var fractions = http.post("/api/v1/jobs/nade-training",
                trainingBody(", \"validationFraction\": 0.5, \"testFraction\": 0.45"));
        assertThat(fractions.status()).isEqualTo(422);
        assertThat(fractions.json().get("field").asString()).isEqualTo("testFraction");
        var schedule = http.post("/api/v1/jobs/nade-training",
                trainingBody(", \"learningRateSchedule\": \"SOMETIMES\""));
        assertThat(schedule.status()).isEqualTo(400);
        assertThat(schedule.json().get("type").asString()).endsWith("unreadable-body");
        long tiny = NadeServiceFixtures.dataset(datasets, "nade-tiny", 2, 1);
        try {
            var few = http.post("/api/v1/jobs/nade-training", "{\"datasetId\": " + tiny + "}");
            assertThat(few.status()).isEqualTo(422);
            assertThat(few.json().get("detail").asString()).contains("too few");
        } finally {
            NadeServiceFixtures.clean(jdbc, tiny);
        }
    }

    @Test
    void badPredictionRequestsAreProblemDetails() {
        UUID missing = UUID.randomUUID();
        var notFound = http.post("/api/v1/models/" + missing + "/predictions",
                "{\"schedules\": [" + schedule(3300, 60) + "]}");
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.json().get("type").asString()).endsWith("model-not-found");
        assertThat(http.get("/api/v1/models/" + missing).status()).isEqualTo(404);
        assertThat(http.send("PUT", "/api/v1/models/" + missing + "/default", null, null).status()).isEqualTo(404);
        assertThat(http.get("/api/v1/models/not-a-uuid").status()).isEqualTo(400);
    }
}
