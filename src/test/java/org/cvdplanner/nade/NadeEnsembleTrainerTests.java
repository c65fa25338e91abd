package org.cvdplanner.nade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

import org.cvdplanner.synthesis.ProfileArrays;
import org.junit.jupiter.api.Test;

/** The ensemble trainer as plain Java: rounds of checkpoints, resume, the split in the provenance, cancellation. */
class NadeEnsembleTrainerTests {

    private static final ProfileArrays PROFILES = SyntheticProfiles.generate(60, 8, 5);
    private static final int EPOCHS = 3;

    private static NadeEnsembleTrainer.Settings settings(int members) {
        NadeHyperParameters hp = NadeHyperParameters.defaults().withEpochs(EPOCHS).withBatchSize(16).withSeed(40);
        return new NadeEnsembleTrainer.Settings(hp, members, 1, members, 0.2, 0.1, 9, 0, 16, 8, 16, 3);
    }

    private static final class Recorder implements NadeEnsembleTrainer.Listener {
        final List<byte[]> checkpoints = new ArrayList<>();
        final List<String> epochs = new ArrayList<>();
        long lastDone;
        long lastTotal;

        @Override
        public void progress(long batchesDone, long batchesTotal) {
            lastDone = batchesDone;
            lastTotal = batchesTotal;
        }

        @Override
        public void epoch(int member, int members, EpochReport report) {
            epochs.add(member + "@" + report.epoch());
        }

        @Override
        public void checkpoint(byte[] checkpoint) {
            checkpoints.add(checkpoint);
        }
    }

    @Test
    void writesEachRoundOfEpochsOnceAndRecordsTheSplitAndTheChosenMember() throws Exception {
        Recorder recorder = new Recorder();
        NadeEnsembleTrainer.Result result = new NadeEnsembleTrainer(settings(2)).train(PROFILES, 7L, null, recorder);

        assertThat(recorder.epochs).hasSize(2 * EPOCHS);
        // a checkpoint per round of both members, not one per member epoch (6)
        assertThat(recorder.checkpoints).hasSizeLessThanOrEqualTo(EPOCHS + 1);
        byte[] last = recorder.checkpoints.get(recorder.checkpoints.size() - 1);
        assertThat(NadeEnsembleTrainer.checkpointEpoch(last, 2)).isEqualTo(EPOCHS);
        assertThat(recorder.lastDone).isEqualTo(recorder.lastTotal).isPositive();
        // sized by the members' state: 4 float arrays of the parameters each, the learning curve small beside it
        int first = recorder.checkpoints.get(0).length;
        System.out.printf("ensemble checkpoint bytes per round: %s%n",
                recorder.checkpoints.stream().map(c -> c.length).toList());
        assertThat(last.length - first).isLessThan(2 * EPOCHS * 1024);

        NadeProvenance.Split split = result.model().provenance().split();
        assertThat(split.seed()).isEqualTo(9);
        assertThat(split.validationFraction()).isEqualTo(0.2);
        assertThat(split.testFraction()).isEqualTo(0.1);
        assertThat(split.members()).isEqualTo(2);
        assertThat(split.memberValidationNll()).hasSize(2).isEqualTo(result.memberValidationNll());
        double bestNll = Math.min(split.memberValidationNll().get(0), split.memberValidationNll().get(1));
        assertThat(split.memberValidationNll().get(split.member())).isEqualTo(bestNll);
        assertThat(result.model().provenance().bestValidationNll()).isEqualTo(bestNll);
        // member m trains with seed + m
        assertThat(result.model().provenance().hyperParameters().seed()).isEqualTo(40 + split.member());
        assertThat(result.trainProfiles() + result.validationProfiles() + result.testProfiles()).isEqualTo(60);
        assertThat(split.testProfiles()).isEqualTo(result.testProfiles()).isEqualTo(6);
        assertThat(result.splitDescription()).containsEntry("seed", 9L).containsEntry("members", 2);

        // the artifact carries the split: a reloaded model knows it
        NadeModel reloaded = NadeModel.fromBytes(result.model().toBytes(), result.model().sha256());
        assertThat(reloaded.provenance().split()).isEqualTo(split);
    }

    @Test
    void resumesFromAnEarlierRoundAndChoosesAsAnUninterruptedRun() throws Exception {
        Recorder straight = new Recorder();
        NadeEnsembleTrainer.Result uninterrupted = new NadeEnsembleTrainer(settings(2)).train(PROFILES, null, null,
                straight);
        byte[] firstRound = straight.checkpoints.get(0);
        int resumedFrom = NadeEnsembleTrainer.checkpointEpoch(firstRound, 2);
        assertThat(resumedFrom).isBetween(0, EPOCHS - 1);

        Recorder resumed = new Recorder();
        NadeEnsembleTrainer.Result result = new NadeEnsembleTrainer(settings(2)).train(PROFILES, null, firstRound,
                resumed);
        assertThat(result.memberValidationNll()).isEqualTo(uninterrupted.memberValidationNll());
        assertThat(result.evaluation().nllPerProfile()).isEqualTo(uninterrupted.evaluation().nllPerProfile());
        assertThat(resumed.epochs.size()).isLessThan(straight.epochs.size());
    }

    @Test
    void stopsWhenTheListenerCancels() {
        NadeEnsembleTrainer.Listener cancelAfterFirstBatch = new NadeEnsembleTrainer.Listener() {
            long calls;

            @Override
            public void progress(long batchesDone, long batchesTotal) {
                calls++;
            }

            @Override
            public boolean cancelled() {
                return calls > 1;
            }
        };
        assertThatThrownBy(() -> new NadeEnsembleTrainer(settings(1)).train(PROFILES, null, null, cancelAfterFirstBatch))
                .isInstanceOf(CancellationException.class);
    }
}
