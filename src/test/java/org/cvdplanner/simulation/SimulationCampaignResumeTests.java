package org.cvdplanner.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;

import org.cvdplanner.job.JobCancelledException;
import org.cvdplanner.job.JobContext;
import org.cvdplanner.job.JobResult;
import org.cvdplanner.profile.Datasets;
import org.cvdplanner.synthesis.ProfileArrays;
import org.cvdplanner.synthesis.SynthesisProfile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A campaign that crashes mid-way and is resumed (the engine's at-least-once contract) ends with
 * exactly the requested profiles: none lost, none twice, each identical to an uninterrupted
 * campaign's. The crash is injected where it hurts most: after a chunk was stored (committed)
 * but before its checkpoint was saved, so the resumed run finds profiles beyond its checkpoint.
 * Runs the real handler against the real datasets on PostgreSQL, with a stand-in for the engine's
 * context.
 */
@SimulationServiceTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SimulationCampaignResumeTests {

    static final String DATASET_NAME = "simulation-resume-tests";

    @Autowired
    SimulationCampaignJob handler;
    @Autowired
    Datasets datasets;
    @Autowired
    JdbcTemplate jdbc;

    @AfterAll
    void cleanUp() {
        jdbc.update("delete from dataset where name = ?", DATASET_NAME);
    }

    /** Simulated crash: the process dies (here: the run throws) at a chosen moment. */
    static final class Crash extends RuntimeException {
        Crash() {
            super("simulated crash");
        }
    }

    /** The engine's context as a resumed job sees it: seed, job id, attempt, last checkpoint. */
    static final class TestContext implements JobContext {
        final UUID jobId;
        final long seed;
        final int attempt;
        final int crashAtCheckpoint;
        byte[] checkpoint;
        int checkpointsSaved;
        long lastDone = -1;
        boolean cancel;

        TestContext(UUID jobId, long seed, int attempt, byte[] checkpoint, int crashAtCheckpoint) {
            this.jobId = jobId;
            this.seed = seed;
            this.attempt = attempt;
            this.checkpoint = checkpoint;
            this.crashAtCheckpoint = crashAtCheckpoint;
        }

        @Override
        public UUID jobId() {
            return jobId;
        }

        @Override
        public long seed() {
            return seed;
        }

        @Override
        public int attempt() {
            return attempt;
        }

        @Override
        public void progress(long done, long total, String unit) {
            assertThat(done).isGreaterThanOrEqualTo(lastDone);
            lastDone = done;
        }

        @Override
        public void metric(String name, long step, double value) {
        }

        @Override
        public boolean isCancellationRequested() {
            return cancel;
        }

        @Override
        public void throwIfCancelled() {
            if (cancel) {
                throw new JobCancelledException();
            }
        }

        @Override
        public Optional<byte[]> checkpoint() {
            return Optional.ofNullable(checkpoint).map(byte[]::clone);
        }

        @Override
        public void saveCheckpoint(byte[] state) {
            if (checkpointsSaved + 1 == crashAtCheckpoint) {
                throw new Crash(); // the chunk is stored, its checkpoint is not
            }
            checkpointsSaved++;
            checkpoint = state.clone();
        }
    }

    @Test
    void campaignCrashedAfterAStoreBeforeItsCheckpointEndsWithExactlyCountProfiles() {
        long datasetId = datasets.create(DATASET_NAME, "crash after store", "SIMULATION", 20).id();
        int count = 1_234; // 13 chunks of 100, the last one short
        var parameters = SimulationCampaignParameters.randomWalk(datasetId, count);
        UUID jobId = UUID.randomUUID();
        long seed = 8_675_309L;

        TestContext first = new TestContext(jobId, seed, 0, null, 5);
        assertThatThrownBy(() -> handler.run(parameters, first)).isInstanceOf(Crash.class);
        assertThat(first.checkpointsSaved).isEqualTo(4);
        assertThat(SimulationCampaignJob.Progress.read(first.checkpoint).stored()).isEqualTo(400);
        assertThat(datasets.count(datasetId)).as("the fifth chunk was stored beyond the checkpoint").isEqualTo(500);

        // a second crash, this time later, then a clean resume
        TestContext second = new TestContext(jobId, seed, 1, first.checkpoint, 3);
        assertThatThrownBy(() -> handler.run(parameters, second)).isInstanceOf(Crash.class);
        assertThat(datasets.count(datasetId)).isEqualTo(700);
        TestContext third = new TestContext(jobId, seed, 2, second.checkpoint, -1);
        JobResult result = handler.run(parameters, third);

        assertThat(datasets.count(datasetId)).isEqualTo(count);
        assertThat(result.values()).containsEntry("profiles", count).containsEntry("duplicates", 200L)
                .containsEntry("created", (long) count - 200);
        String prefix = SimulationCampaign.idPrefix(jobId);
        ProfileArrays stored = datasets.loadArrays(datasetId);
        assertThat(stored.externalIds()).containsExactlyElementsOf(
                IntStream.range(0, count).mapToObj(i -> prefix + String.format("%06d", i)).toList());
        // identical to an uninterrupted campaign of the same job
        SimulationCampaign uninterrupted = new SimulationCampaign(CvdSimulator.DEFAULT, parameters, 20, seed, jobId);
        List<SynthesisProfile> expected = uninterrupted.profiles(0, count, 2);
        assertThat(ProfileArrays.of(expected)).usingRecursiveComparison().isEqualTo(stored);
    }

    @Test
    void campaignResumedFromACheckpointOfGivenSchedulesKeepsReplicaOrder() {
        long datasetId = datasets.create(DATASET_NAME, "given schedules", "SIMULATION", 20).id();
        var schedules = List.of(CalibrationSchedules.reference(), CalibrationSchedules.constant(3000),
                CalibrationSchedules.constant(2000));
        var parameters = SimulationCampaignParameters.given(datasetId, schedules, 90); // 270 profiles, 3 chunks
        UUID jobId = UUID.randomUUID();
        TestContext first = new TestContext(jobId, 5, 0, null, 2);
        assertThatThrownBy(() -> handler.run(parameters, first)).isInstanceOf(Crash.class);
        handler.run(parameters, new TestContext(jobId, 5, 1, first.checkpoint, -1));

        ProfileArrays stored = datasets.loadArrays(datasetId);
        assertThat(stored.profileCount()).isEqualTo(270);
        List<Float> firstTemperatures = new ArrayList<>();
        for (int i = 0; i < 270; i++) {
            firstTemperatures.add(stored.condition(i, 0, 0));
        }
        assertThat(firstTemperatures.subList(0, 90)).containsOnly(3300f);
        assertThat(firstTemperatures.subList(90, 180)).containsOnly(3000f);
        assertThat(firstTemperatures.subList(180, 270)).containsOnly(2000f);
        SimulationCampaign uninterrupted = new SimulationCampaign(CvdSimulator.DEFAULT, parameters, 20, 5, jobId);
        assertThat(ProfileArrays.of(uninterrupted.profiles(0, 270, 2))).usingRecursiveComparison().isEqualTo(stored);
    }
}
