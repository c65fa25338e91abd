package org.cvdplanner.nade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cvdplanner.nade.NadeServiceFixtures.schedule;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.cvdplanner.testkit.ServiceTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * /actuator/prometheus scraped while a NADE training job runs: the job and throughput meters
 * move during the run and end at the job's own figures; a prediction lands in the latency
 * histogram.
 */
@ServiceTest
class NadeTrainingMetricsTests extends NadeDatasetTest {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)\\})? (\\S+)");

    NadeTrainingMetricsTests() {
        super("nade-metrics", 5);
    }

    /** One scrape: sample name and its labels ("a=\"x\",b=\"y\"") to value. */
    record Scrape(Map<String, Double> samples) {

        double value(String name, String... labels) {
            double sum = 0;
            boolean found = false;
            for (var e : samples.entrySet()) {
                String key = e.getKey();
                if (!key.equals(name) && !key.startsWith(name + "{")) {
                    continue;
                }
                boolean all = true;
                for (String label : labels) {
                    all &= key.contains(label);
                }
                if (all) {
                    sum += e.getValue();
                    found = true;
                }
            }
            return found ? sum : 0;
        }

        boolean has(String name, String... labels) {
            return samples.keySet().stream().anyMatch(k -> (k.equals(name) || k.startsWith(name + "{"))
                    && java.util.Arrays.stream(labels).allMatch(k::contains));
        }
    }

    Scrape scrape() {
        var r = http.get("/actuator/prometheus");
        assertThat(r.status()).isEqualTo(200);
        Map<String, Double> samples = new TreeMap<>();
        for (String line : r.body().split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (!line.startsWith("#") && m.find()) {
                samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(4)));
            }
        }
        return new Scrape(samples);
    }

    private static final String TYPE = "type=\"nade-training\"";

    @Test
    void jobMetricsMoveDuringTrainingAndEndAtTheJobsFigures() throws Exception {
        Scrape before = scrape();
        double batchesBefore = before.value("cvdplanner_jobs_work_total", TYPE, "unit=\"batch\"");
        double epochsBefore = before.value("cvdplanner_jobs_work_total", TYPE, "unit=\"epoch\"");
        double succeededBefore = before.value("cvdplanner_jobs_run_duration_seconds_count", TYPE, "outcome=\"succeeded\"");
        double startedBefore = before.value("cvdplanner_jobs_runs_started_total", TYPE);

        int epochs = 6;
        var submitted = http.post("/api/v1/jobs/nade-training", "{\"datasetId\": " + datasetId
                + ", \"epochs\": " + epochs + ", \"batchSize\": 8, \"earlyStoppingPatience\": 0, \"seed\": 3}");
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        String jobId = submitted.json().get("id").asString();

        // scrape while it runs: the batch counter must be seen at several values below the end
        List<Double> batchesWhileRunning = new ArrayList<>();
        boolean sawRunningGauge = false;
        JsonNode job;
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (true) {
            Scrape now = scrape();
            job = http.get("/api/v1/jobs/" + jobId).json();
            String status = job.get("status").asString();
            if (!status.equals("QUEUED") && !status.equals("RUNNING")) {
                break;
            }
            if (status.equals("RUNNING")) {
                batchesWhileRunning.add(now.value("cvdplanner_jobs_work_total", TYPE, "unit=\"batch\"") - batchesBefore);
                sawRunningGauge |= now.value("cvdplanner_jobs", TYPE, "status=\"RUNNING\"") >= 1;
            }
            assertThat(System.nanoTime()).as("job %s still %s", jobId, status).isLessThan(deadline);
            Thread.sleep(150);
        }
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        long totalBatches = job.get("progress").get("total").asLong();
        assertThat(totalBatches).isGreaterThan(epochs);

        assertThat(batchesWhileRunning.stream().distinct().filter(v -> v > 0 && v < totalBatches).count())
                .as("distinct batch counts seen while running: %s", batchesWhileRunning).isGreaterThanOrEqualTo(2);
        assertThat(batchesWhileRunning).isSorted();
        assertThat(sawRunningGauge).as("cvdplanner_jobs{status=RUNNING} seen at 1 during the run").isTrue();

        Scrape after = scrape();
        assertThat(after.value("cvdplanner_jobs_work_total", TYPE, "unit=\"batch\"") - batchesBefore).isEqualTo(totalBatches);
        assertThat(after.value("cvdplanner_jobs_work_total", TYPE, "unit=\"epoch\"") - epochsBefore).isEqualTo(epochs);
        assertThat(after.value("cvdplanner_jobs_run_duration_seconds_count", TYPE, "outcome=\"succeeded\"") - succeededBefore)
                .isEqualTo(1);
        assertThat(after.value("cvdplanner_jobs_runs_started_total", TYPE) - startedBefore).isEqualTo(1);
        assertThat(after.has("cvdplanner_jobs_run_duration_seconds_bucket", TYPE, "le=\"60.0\"")).isTrue();
        assertThat(after.has("cvdplanner_jobs_queue_oldest_age_seconds")).isTrue();
        // the queue gauges follow the job table (read every polling interval)
        long succeededInTable = jdbc.queryForObject(
                "select count(*) from job where type = 'nade-training' and status = 'SUCCEEDED'", Long.class);
        long deadlineGauge = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (scrape().value("cvdplanner_jobs", TYPE, "status=\"SUCCEEDED\"") != succeededInTable
                && System.nanoTime() < deadlineGauge) {
            Thread.sleep(100);
        }
        assertThat(scrape().value("cvdplanner_jobs", TYPE, "status=\"SUCCEEDED\"")).isEqualTo(succeededInTable);

        // one prediction: one more sample in the latency histogram, in its buckets
        String modelId = job.get("result").get("modelId").asString();
        double predictionsBefore = after.value("cvdplanner_nade_predictions_seconds_count", "outcome=\"success\"");
        var predicted = http.post("/api/v1/models/" + modelId + "/predictions",
                "{\"schedules\": [" + schedule(3300, 60) + "], \"rollouts\": 8, \"seed\": 1}");
        assertThat(predicted.status()).as(predicted.body()).isEqualTo(200);
        var missing = http.post("/api/v1/models/00000000-0000-0000-0000-000000000000/predictions",
                "{\"schedules\": [" + schedule(3300, 60) + "]}");
        assertThat(missing.status()).isEqualTo(404);
        Scrape last = scrape();
        assertThat(last.value("cvdplanner_nade_predictions_seconds_count", "outcome=\"success\"") - predictionsBefore)
                .isEqualTo(1);
        assertThat(last.value("cvdplanner_nade_predictions_seconds_count", "outcome=\"client_error\"")
                - after.value("cvdplanner_nade_predictions_seconds_count", "outcome=\"client_error\"")).as("the 404").isEqualTo(1);
        assertThat(last.value("cvdplanner_nade_predictions_seconds_bucket", "outcome=\"success\"", "le=\"+Inf\""))
                .isEqualTo(last.value("cvdplanner_nade_predictions_seconds_count", "outcome=\"success\""));
    }
}
