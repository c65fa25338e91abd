package org.cvdplanner.nade;

import org.cvdplanner.nade.training.NadeTrainingJob;
import org.cvdplanner.nade.training.NadeTrainingParameters;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.cvdplanner.job.JobCancelledException;
import org.cvdplanner.job.JobContext;
import org.cvdplanner.job.JobResult;
import org.cvdplanner.profile.Datasets;
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
@NadeServiceTest
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

    /** An in-memory JobContext whose run "dies" when {@code killAt} says so. */
    static class FakeContext implements JobContext {
        final UUID id;
        final int attempt;
        byte[] checkpoint;
        final List<String> metrics = new ArrayList<>();
        final List<Integer> savedEpochs = new ArrayList<>();
        final long killAtDone;
        boolean cancel;

        FakeContext(UUID id, int attempt, byte[] checkpoint, long killAtDone) {
            this.id = id;
            this.attempt = attempt;
            this.checkpoint = checkpoint;
            this.killAtDone = killAtDone;
        }

        @Override
        public UUID jobId() {
            return id;
        }

        @Override
        public long seed() {
            return 77;
        }

        @Override
        public int attempt() {
            return attempt;
        }

        @Override
        public void progress(long done, long total, String unit) {
            if (killAtDone > 0 && done >= killAtDone) {
                throw new Killed();
            }
        }

        @Override
        public void metric(String name, long step, double value) {
            metrics.add(name + "@" + step);
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
            return Optional.ofNullable(checkpoint);
        }

        @Override
        public void saveCheckpoint(byte[] state) {
            checkpoint = state.clone();
            savedEpochs.add(NadeTrainer.checkpointEpoch(NadeEnsembleTrainer.readMembers(state, 1)[0]));
        }
    }

    static final class Killed extends RuntimeException {
    }

    private NadeTrainingParameters parameters() {
        return new NadeTrainingParameters(datasetId, 0.1, 0.1, null, 4, 16, 3e-3, null, null, 0, null, null, 1, null, 77L, null);
    }

    @Test
    void killedMidEpochResumesFromTheLastFinishedEpochAndEndsAsAnUninterruptedRun() throws Exception {
        NadeTrainingParameters p = parameters();
        FakeContext straight = new FakeContext(UUID.randomUUID(), 0, null, 0);
        JobResult uninterrupted = handler.run(p, straight);

        UUID jobId = UUID.randomUUID();
        int batches = (48 + 15) / 16;
        // dies at the second batch of epoch 3, after the checkpoint of epoch 2 was saved
        FakeContext first = new FakeContext(jobId, 0, null, 2L * batches + 2);
        assertThatThrownBy(() -> handler.run(p, first)).isInstanceOf(Killed.class);
        assertThat(first.savedEpochs).containsExactly(1, 2);

        FakeContext second = new FakeContext(jobId, 1, first.checkpoint, 0);
        JobResult resumed = handler.run(p, second);
        assertThat(second.metrics).contains("validationNll@3", "validationNll@4").doesNotContain("validationNll@1",
                "validationNll@2");
        assertThat(second.savedEpochs).containsExactly(3, 4);
        assertThat(resumed.values().get("validationNll")).isEqualTo(uninterrupted.values().get("validationNll"));
        assertThat(resumed.values().get("testNll")).isEqualTo(uninterrupted.values().get("testNll"));
        NadeModel a = models.load(UUID.fromString((String) uninterrupted.values().get("modelId")));
        NadeModel b = models.load(UUID.fromString((String) resumed.values().get("modelId")));
        assertThat(b.network(false).params().equals(a.network(false).params())).isTrue();

        // a third run of the same job (at-least-once) finds the stored model instead of adding one
        FakeContext third = new FakeContext(jobId, 2, second.checkpoint, 0);
        JobResult again = handler.run(p, third);
        assertThat(again.values().get("modelId")).isEqualTo(resumed.values().get("modelId"));
        assertThat(third.metrics).isEmpty();
        assertThat(jdbc.queryForObject("select count(*) from nade_model where training_job_id = ?", Integer.class, jobId))
                .isEqualTo(1);
    }

    @Test
    void cancellationStopsBetweenBatches() {
        FakeContext context = new FakeContext(UUID.randomUUID(), 0, null, 0) {
            @Override
            public void progress(long done, long total, String unit) {
                if (done >= 2) {
                    cancel = true;
                }
            }
        };
        long started = System.nanoTime();
        assertThatThrownBy(() -> handler.run(parameters(), context)).isInstanceOf(JobCancelledException.class);
        assertThat(context.savedEpochs).isEmpty();
        assertThat((System.nanoTime() - started) / 1e9).isLessThan(60);
    }
}
