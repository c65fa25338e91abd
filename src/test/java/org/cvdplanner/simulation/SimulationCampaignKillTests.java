package org.cvdplanner.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cvdplanner.testkit.TestHttp.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import org.cvdplanner.TestDatabase;
import org.cvdplanner.testkit.ServiceProcesses;
import org.cvdplanner.testkit.TestHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The campaign crash test through the real engine: the service runs as a separate JVM, a
 * campaign is submitted over HTTP, the JVM is killed with SIGKILL mid-way (no hand-over), and a
 * new JVM resumes the job from its checkpoint. The dataset must end with exactly the requested
 * profiles, each the one an uninterrupted campaign makes.
 */
class SimulationCampaignKillTests {

    static final String QUEUE = "simulation-tests-kill";
    static final int COUNT = 6_000;
    static final int CHUNK = 200;

    private final JdbcTemplate jdbc = TestDatabase.jdbcTemplate();
    private final ServiceProcesses services = new ServiceProcesses(List.of(),
            "--cvd-planner.jobs.queue=" + QUEUE,
            "--cvd-planner.jobs.polling-interval=200ms",
            "--cvd-planner.jobs.heartbeat-interval=1s",
            "--cvd-planner.jobs.missed-heartbeats=4",
            "--cvd-planner.jobs.progress-write-interval=100ms",
            "--cvd-planner.simulation.chunk-size=" + CHUNK);
    private Long datasetId;

    @AfterEach
    void stopProcessesAndClean() throws InterruptedException {
        services.close();
        if (datasetId != null) {
            jdbc.update("delete from dataset where id = ?", datasetId);
        }
    }

    @Test
    void killedServiceResumesTheCampaignAndTheDatasetEndsWithExactlyCountProfiles() throws Exception {
        int port = ServiceProcesses.freePort();
        ServiceProcesses.Instance first = services.start("sim-kill-a", port);
        TestHttp http = first.http();
        var created = http.post("/api/v1/datasets", "{\"name\": \"simulation-kill-test\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        datasetId = created.json().get("id").asLong();

        var submitted = http.post("/api/v1/datasets/" + datasetId + "/simulations",
                "{\"count\": " + COUNT + ", \"seed\": 31337}", "sim-kill-" + UUID.randomUUID());
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        UUID id = UUID.fromString(submitted.json().get("id").asString());

        await("the campaign past a few chunks", Duration.ofSeconds(120), () -> stored() >= 5L * CHUNK);
        first.kill(); // SIGKILL: no shutdown hook, no hand-over
        long storedAtKill = stored();
        byte[] checkpoint = jdbc.queryForObject("select data from job_checkpoint where job_id = ?", byte[].class, id);
        long checkpointed = SimulationCampaignJob.Progress.read(checkpoint).stored();
        assertThat(storedAtKill).isLessThan(COUNT).isGreaterThanOrEqualTo(checkpointed);
        assertThat(checkpointed % CHUNK).isZero();

        ServiceProcesses.Instance second = services.start("sim-kill-b", port);
        await("the campaign finished", Duration.ofSeconds(180), () -> jdbc.queryForObject(
                "select status from job where id = ?", String.class, id).matches("SUCCEEDED|FAILED|CANCELLED"));
        JsonNode job = http.get("/api/v1/jobs/" + id).json();
        System.out.printf("campaign kill test: killed with %d profiles stored (checkpoint %d); finished with %d%n",
                storedAtKill, checkpointed, stored());
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("attempts").asInt()).isEqualTo(2);
        assertThat(job.get("metrics").get("resumedFrom").get(1).get("value").asDouble()).isEqualTo((double) checkpointed);
        assertThat(job.get("result").get("profiles").asInt()).isEqualTo(COUNT);
        assertThat(job.get("result").get("created").asLong() + job.get("result").get("duplicates").asLong()).isEqualTo(COUNT);

        assertThat(stored()).isEqualTo(COUNT);
        String prefix = SimulationCampaign.idPrefix(id);
        assertThat(jdbc.queryForList("select external_id from profile where dataset_id = ? order by external_id",
                String.class, datasetId)).containsExactlyElementsOf(
                IntStream.range(0, COUNT).mapToObj(i -> prefix + String.format("%06d", i)).toList());
        // the profiles around the kill are the uninterrupted campaign's
        List<SimulatedRun> expected = CvdSimulator.DEFAULT.simulateRandomWalks(RandomWalkScheduleGenerator.PAPER, 31337,
                checkpointed - 1, CHUNK + 2, 2);
        for (int k = 0; k < expected.size(); k++) {
            long index = checkpointed - 1 + k;
            Double[] phase2H = (Double[]) jdbc.queryForObject("select phase_2h from profile where dataset_id = ? and external_id = ?",
                    (rs, row) -> rs.getArray(1).getArray(), datasetId, prefix + String.format("%06d", index));
            assertThat(phase2H[19]).isEqualTo(expected.get(k).finalPhases().phase2H());
        }

        second.process().destroy(); // SIGTERM: graceful
        assertThat(second.process().waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    }

    private long stored() {
        return jdbc.queryForObject("select count(*) from profile where dataset_id = ?", Long.class, datasetId);
    }
}
