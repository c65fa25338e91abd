package org.cvdplanner.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import org.cvdplanner.job.JobResult;
import org.cvdplanner.profile.Datasets;
import org.cvdplanner.synthesis.ProfileArrays;
import org.cvdplanner.synthesis.SynthesisProfile;
import org.cvdplanner.testkit.InMemoryJobContext;
import org.cvdplanner.testkit.ServiceTest;
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
@ServiceTest
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

    /**
     * The engine's context as a (resumed) job sees it, crashing when it is about to save its
     * {@code crashAtCheckpoint}-th checkpoint (the chunk is stored, its checkpoint is not); progress
     * must never go back.
     */
    static InMemoryJobContext crashingAt(InMemoryJobContext context, int crashAtCheckpoint) {
        return context.onProgress(done -> {
            if (!context.progress.isEmpty()) {
                assertThat(done).isGreaterThanOrEqualTo(context.progress.get(context.progress.size() - 1));
            }
        }).beforeSave(state -> {
            if (context.savedCheckpoints.size() + 1 == crashAtCheckpoint) {
                throw new Crash();
            }
        });
    }

    @Test
    void campaignCrashedAfterAStoreBeforeItsCheckpointEndsWithExactlyCountProfiles() {
        long datasetId = datasets.create(DATASET_NAME, "crash after store", "SIMULATION", 20).id();
        int count = 1_234; // 13 chunks of 100, the last one short
        var parameters = SimulationCampaignParameters.randomWalk(datasetId, count);
        UUID jobId = UUID.randomUUID();
        long seed = 8_675_309L;

        InMemoryJobContext first = crashingAt(new InMemoryJobContext(jobId, seed), 5);
        assertThatThrownBy(() -> handler.run(parameters, first)).isInstanceOf(Crash.class);
        assertThat(first.savedCheckpoints).hasSize(4);
        assertThat(SimulationCampaignJob.Progress.read(first.lastCheckpoint()).stored()).isEqualTo(400);
        assertThat(datasets.count(datasetId)).as("the fifth chunk was stored beyond the checkpoint").isEqualTo(500);

        // a second crash, this time later, then a clean resume
        InMemoryJobContext second = crashingAt(first.resumed(), 3);
        assertThatThrownBy(() -> handler.run(parameters, second)).isInstanceOf(Crash.class);
        assertThat(datasets.count(datasetId)).isEqualTo(700);
        InMemoryJobContext third = crashingAt(second.resumed(), -1);
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
        InMemoryJobContext first = crashingAt(new InMemoryJobContext(jobId, 5), 2);
        assertThatThrownBy(() -> handler.run(parameters, first)).isInstanceOf(Crash.class);
        handler.run(parameters, crashingAt(first.resumed(), -1));

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
