package org.cvdplanner.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;

import org.cvdplanner.TestDatabase;
import org.cvdplanner.testkit.ServiceProcesses;
import org.cvdplanner.testkit.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * kill -9 of the service (a separate JVM) during a NADE training, an agent training and a
 * 10,000-profile simulation campaign, {@code robustness.kill.trials} times each (CI: 5) at a
 * random point after the job's first checkpoint; a fresh JVM must finish every job from its
 * checkpoint, with no profile lost or duplicated and exactly one model or agent per job. Small
 * models and few epochs keep it affordable; the kills and restarts are real.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KillRobustnessTests {

    static final int TRIALS = Integer.getInteger("robustness.kill.trials", 1);
    static final long SEED = Long.getLong("robustness.kill.seed", 20261130L);
    static final int CAMPAIGN = 10_000;
    static final String QUEUE = "robustness-kill";

    final ServiceProcesses services = new ServiceProcesses(List.of("-Xmx768m"),
            "--cvd-planner.nade.warm-up=false",
            "--cvd-planner.jobs.queue=" + QUEUE,
            "--cvd-planner.jobs.polling-interval=200ms",
            "--cvd-planner.jobs.heartbeat-interval=1s",
            "--cvd-planner.jobs.missed-heartbeats=4",
            "--cvd-planner.jobs.progress-write-interval=100ms",
            "--cvd-planner.agent.checkpoint-interval=1s",
            "--cvd-planner.simulation.chunk-size=500");
    final JdbcTemplate jdbc = TestDatabase.jdbcTemplate();
    final Random random = new Random(SEED);
    final List<Long> datasets = new ArrayList<>();
    final List<String> rows = new ArrayList<>();
    int port;
    ServiceProcesses.Instance service;
    int instances;

    @AfterAll
    void stopAndClean() throws InterruptedException {
        services.close();
        jdbc.update("delete from agent where nade_model_id in (select id from nade_model where dataset_id = any(?))",
                (Object) datasets.toArray(Long[]::new));
        jdbc.update("delete from nade_model where dataset_id = any(?)", (Object) datasets.toArray(Long[]::new));
        for (long dataset : datasets) {
            jdbc.update("delete from dataset where id = ?", dataset);
        }
    }

    @Test
    void everyJobKilledAtARandomPointCompletesFromItsCheckpoint() throws Exception {
        port = ServiceProcesses.freePort();
        restart();
        // training data for the NADE trials: a small campaign, not killed
        long trainingData = dataset("kill trials: NADE training data");
        UUID setup = submit("/api/v1/datasets/" + trainingData + "/simulations", "{\"count\": 600, \"seed\": 3}");
        awaitFinished(setup, Duration.ofMinutes(5));
        UUID nadeModel = null;
        int jobsLost = 0;
        long profilesLost = 0;
        long profilesDuplicated = 0;
        int resumedFromCheckpoint = 0;
        int trials = 0;
        for (int trial = 0; trial < TRIALS; trial++) {
            for (String kind : List.of("NADE training", "agent training", "campaign")) {
                UUID job;
                long dataset = 0;
                switch (kind) {
                    case "NADE training" -> job = submit("/api/v1/jobs/nade-training", "{\"datasetId\": " + trainingData
                            + ", \"epochs\": 8, \"batchSize\": 64, \"nd4jThreads\": 1, \"earlyStoppingPatience\": 100, \"seed\": "
                            + (11 + trial) + "}");
                    case "agent training" -> job = submit("/api/v1/jobs/agent-training", "{\"nadeModelId\": \"" + nadeModel
                            + "\", \"episodes\": 4096, \"batchSize\": 32, \"baselines\": false, \"seed\": " + (21 + trial) + "}");
                    default -> {
                        dataset = dataset("kill trials: campaign " + trial);
                        job = submit("/api/v1/datasets/" + dataset + "/simulations",
                                "{\"count\": " + CAMPAIGN + ", \"seed\": " + (31 + trial) + "}");
                    }
                }
                // a random point after the first checkpoint
                double fraction = 0.1 + 0.8 * random.nextDouble();
                TestHttp.await(kind + " to " + Math.round(fraction * 100) + " %", Duration.ofMinutes(5), () -> {
                    Double done = jdbc.queryForObject("select case when progress_total > 0 then progress_done::float8 / "
                            + "progress_total end from job where id = ?", Double.class, job);
                    return done != null && done >= fraction && hasCheckpoint(job) || finished(job);
                });
                boolean killedMidway = !finished(job) && hasCheckpoint(job);
                String killedAt = progress(job);
                service.kill(); // SIGKILL: no shutdown hook, no hand-over
                restart();
                awaitFinished(job, Duration.ofMinutes(10));
                JsonNode view = get("/api/v1/jobs/" + job);
                String status = view.get("status").asString();
                trials++;
                if (killedMidway && view.get("attempts").asInt() >= 2) {
                    resumedFromCheckpoint++;
                }
                if (!status.equals("SUCCEEDED")) {
                    jobsLost++;
                }
                String outcome;
                switch (kind) {
                    case "NADE training" -> {
                        int models = jdbc.queryForObject("select count(*) from nade_model where training_job_id = ?", Integer.class, job);
                        outcome = models + " model";
                        assertThat(models).as("models of %s", job).isEqualTo(1);
                        nadeModel = UUID.fromString(view.get("result").get("modelId").asString());
                    }
                    case "agent training" -> {
                        int agents = jdbc.queryForObject("select count(*) from agent where training_job_id = ?", Integer.class, job);
                        outcome = agents + " agent";
                        assertThat(agents).as("agents of %s", job).isEqualTo(1);
                    }
                    default -> {
                        long stored = jdbc.queryForObject("select count(*) from profile where dataset_id = ?", Long.class, dataset);
                        long distinct = jdbc.queryForObject("select count(distinct external_id) from profile where dataset_id = ?",
                                Long.class, dataset);
                        profilesLost += Math.max(0, CAMPAIGN - distinct);
                        profilesDuplicated += stored - distinct;
                        outcome = stored + " profiles, " + distinct + " distinct";
                        assertThat(stored).isEqualTo(distinct).isEqualTo(CAMPAIGN);
                    }
                }
                rows.add(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s, attempts %d | %s |", trial + 1, kind, killedAt,
                        killedMidway ? "yes" : "no (finished first)", status, view.get("attempts").asInt(), outcome));
                assertThat(status).as("%s %s after a kill at %s: %s", kind, job, killedAt, view).isEqualTo("SUCCEEDED");
            }
        }
        String md = "## Kill -9 during jobs\n\n"
                + "The service in its own JVM, killed with SIGKILL at a random point after the job's first checkpoint (the point "
                + "drawn from seed " + SEED + "), then started again: " + TRIALS + " trial(s) each of a NADE training (8 epochs, "
                + "600 profiles), an agent training (4,096 episodes) and a " + String.format(Locale.ROOT, "%,d", CAMPAIGN)
                + "-profile simulation campaign.\n\n"
                + "| trial | job | killed at (done / total) | killed mid-job with a checkpoint | after restart | stored |\n"
                + "|---|---|---|---|---|---|\n" + String.join("\n", rows) + "\n\n"
                + "**Kill trials: " + trials + "; resumed from a checkpoint: " + resumedFromCheckpoint + "; jobs lost: " + jobsLost
                + "; campaign profiles lost: " + profilesLost + ", duplicated: " + profilesDuplicated + ".**\n";
        RobustnessReport.section("25-kill", md);
        assertThat(jobsLost).isZero();
        assertThat(profilesLost + profilesDuplicated).isZero();
        assertThat(resumedFromCheckpoint).as("kills that hit a job mid-way").isPositive();
    }

    boolean hasCheckpoint(UUID job) {
        return jdbc.queryForObject("select count(*) from job_checkpoint where job_id = ?", Integer.class, job) > 0;
    }

    boolean finished(UUID job) {
        return jdbc.queryForObject("select status from job where id = ?", String.class, job)
                .matches("SUCCEEDED|FAILED|CANCELLED");
    }

    String progress(UUID job) {
        return jdbc.queryForObject("select coalesce(progress_done, 0) || ' / ' || coalesce(progress_total, 0) from job where id = ?",
                String.class, job);
    }

    void awaitFinished(UUID job, Duration timeout) {
        TestHttp.await("job " + job + " finished", timeout, () -> finished(job));
    }

    long dataset(String name) throws Exception {
        long id = post("/api/v1/datasets", "{\"name\": \"" + name + "\"}").get("id").asLong();
        datasets.add(id);
        return id;
    }

    UUID submit(String path, String body) throws Exception {
        return UUID.fromString(post(path, body).get("id").asString());
    }

    JsonNode post(String path, String body) {
        TestHttp.Response r = service.http().post(path, body);
        assertThat(r.status()).as(path + " " + r.body()).isBetween(200, 299);
        return r.json();
    }

    JsonNode get(String path) {
        TestHttp.Response r = service.http().get(path);
        assertThat(r.status()).as(path + " " + r.body()).isEqualTo(200);
        return r.json();
    }

    /** Starts a new service JVM on the same port and waits until it is healthy. */
    void restart() {
        service = services.start("robustness-kill-" + (++instances), port);
    }
}
