package org.cvdplanner.nade;

import org.cvdplanner.nade.training.NadeTrainingJob;
import org.cvdplanner.nade.training.NadeTrainingParameters;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;

import org.cvdplanner.job.JobCancelledException;
import org.cvdplanner.job.JobResult;
import org.cvdplanner.profile.Datasets;
import org.cvdplanner.testkit.InMemoryJobContext;
import org.cvdplanner.testkit.ServiceTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The training job's handler run as the engine runs it after a crash: a first run dies in the
 * middle of an epoch (nothing after that point happens, as when the process is killed), the
 * second run gets the last saved checkpoint and must continue from the last finished epoch and
 * end exactly where an uninterrupted run ends, storing one model per job.
 */
@ServiceTest
class NadeTrainingJobTests {

    @Autowired
    NadeTrainingJob handler;

    @Autowired
    Datasets datasets;

    @Autowired
    NadeModels models;

    @Autowired
    JdbcTemplate jdbc;

    long datasetId;

    @BeforeEach
    void setUp() {
        datasetId = NadeServiceFixtures.dataset(datasets, "nade-job", 60, 8);
    }

    @AfterEach
    void tearDown() {
        NadeServiceFixtures.clean(jdbc, datasetId);
    }

    /** A context of this job whose run "dies" (throws) once progress reaches {@code killAtDone}. */
    static InMemoryJobContext killedAt(InMemoryJobContext context, long killAtDone) {
        return context.onProgress(done -> {
            if (done >= killAtDone) {
                throw new Killed();
            }
        });
    }

    /** The epochs of the checkpoints a run saved, in order. */
    static List<Integer> savedEpochs(InMemoryJobContext context) {
        return context.savedCheckpoints.stream()
                .map(state -> NadeTrainer.checkpointEpoch(NadeEnsembleTrainer.readMembers(state, 1)[0])).toList();
    }

    static final class Killed extends RuntimeException {
    }

    private NadeTrainingParameters parameters() {
        return new NadeTrainingParameters(datasetId, 0.1, 0.1, null, 4, 16, 3e-3, null, null, 0, null, null, 1, null, 77L, null);
    }

    @Test
    void killedMidEpochResumesFromTheLastFinishedEpochAndEndsAsAnUninterruptedRun() throws Exception {
        NadeTrainingParameters p = parameters();
        InMemoryJobContext straight = InMemoryJobContext.fresh(77);
        JobResult uninterrupted = handler.run(p, straight);

        UUID jobId = UUID.randomUUID();
        int batches = (48 + 15) / 16;
        // dies at the second batch of epoch 3, after the checkpoint of epoch 2 was saved
        InMemoryJobContext first = killedAt(new InMemoryJobContext(jobId, 77), 2L * batches + 2);
        assertThatThrownBy(() -> handler.run(p, first)).isInstanceOf(Killed.class);
        assertThat(savedEpochs(first)).containsExactly(1, 2);

        InMemoryJobContext second = first.resumed();
        JobResult resumed = handler.run(p, second);
        assertThat(second.metrics).contains("validationNll@3", "validationNll@4").doesNotContain("validationNll@1",
                "validationNll@2");
        assertThat(savedEpochs(second)).containsExactly(3, 4);
        assertThat(resumed.values().get("validationNll")).isEqualTo(uninterrupted.values().get("validationNll"));
        assertThat(resumed.values().get("testNll")).isEqualTo(uninterrupted.values().get("testNll"));
        NadeModel a = models.load(UUID.fromString((String) uninterrupted.values().get("modelId")));
        NadeModel b = models.load(UUID.fromString((String) resumed.values().get("modelId")));
        assertThat(b.network(false).params().equals(a.network(false).params())).isTrue();

        // a third run of the same job (at-least-once) finds the stored model instead of adding one
        InMemoryJobContext third = second.resumed();
        JobResult again = handler.run(p, third);
        assertThat(again.values().get("modelId")).isEqualTo(resumed.values().get("modelId"));
        assertThat(third.metrics).isEmpty();
        assertThat(jdbc.queryForObject("select count(*) from nade_model where training_job_id = ?", Integer.class, jobId))
                .isEqualTo(1);
    }

    @Test
    void cancellationStopsBetweenBatches() {
        InMemoryJobContext context = InMemoryJobContext.fresh(77);
        context.onProgress(done -> {
            if (done >= 2) {
                context.cancel();
            }
        });
        long started = System.nanoTime();
        assertThatThrownBy(() -> handler.run(parameters(), context)).isInstanceOf(JobCancelledException.class);
        assertThat(context.savedCheckpoints).isEmpty();
        assertThat((System.nanoTime() - started) / 1e9).isLessThan(60);
    }
}
