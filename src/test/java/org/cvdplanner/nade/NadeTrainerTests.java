package org.cvdplanner.nade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;

import org.cvdplanner.synthesis.ProfileArrays;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

class NadeTrainerTests {

    static ProfileArrays train;
    static ProfileArrays validation;

    @BeforeAll
    static void data() {
        ProfileArrays all = SyntheticProfiles.generate(320, 20, 5);
        train = SyntheticProfiles.slice(all, 0, 256);
        validation = SyntheticProfiles.slice(all, 256, 320);
    }

    static NadeHyperParameters small(int epochs) {
        return NadeHyperParameters.defaults().withEpochs(epochs).withBatchSize(32).withSeed(9)
                .withEarlyStoppingPatience(0).withLearningRate(3e-3, NadeHyperParameters.LearningRateSchedule.CONSTANT);
    }

    @Test
    void aMiniBatchGradientIsTheMeanOverItsOwnProfilesWhateverItsSize() {
        // The stall of the earlier DL4J path came from a ragged last mini-batch; the kernel's
        // gradient of any batch must be the mean of its profiles' gradients.
        NadeHyperParameters hp = small(1);
        NadeNormaliser normaliser = NadeNormaliser.fit(train);
        float[] p = NadeKernel.initialParameters(4);
        int steps = train.steps() - 1;
        NadeKernel kernel = new NadeKernel(hp.fixedVariance(), hp.varianceFloor());
        for (int size : new int[] {3, 16}) {
            float[] x = new float[size * steps * 7];
            float[] y = new float[size * steps * 3];
            NadeKernel.inputs(train, null, 0, size, normaliser, x, y);
            float[] together = new float[p.length];
            kernel.lossAndGradient(p, x, y, size, steps, together);
            double[] mean = new double[p.length];
            for (int i = 0; i < size; i++) {
                float[] xi = new float[steps * 7];
                float[] yi = new float[steps * 3];
                NadeKernel.inputs(train, null, i, i + 1, normaliser, xi, yi);
                float[] g = new float[p.length];
                kernel.lossAndGradient(p, xi, yi, 1, steps, g);
                for (int k = 0; k < p.length; k++) {
                    mean[k] += g[k] / size;
                }
            }
            double scale = 0;
            double worst = 0;
            for (int k = 0; k < p.length; k++) {
                scale = Math.max(scale, Math.abs(mean[k]));
                worst = Math.max(worst, Math.abs(mean[k] - together[k]));
            }
            assertThat(worst / scale).as("batch of %d", size).isLessThan(1e-4);
        }
    }

    @Test
    void twoThreadsTrainTheSameModelAsOne() {
        NadeHyperParameters hp = small(2).withBatchSize(40); // 256 = 6 × 40 + 16: a ragged last batch
        NadeModel one = new NadeTrainer(hp, 1).train(train, validation, NadeTrainingListener.NONE);
        NadeModel two = new NadeTrainer(hp, 2).train(train, validation, NadeTrainingListener.NONE);
        assertThat(two.provenance().bestValidationNll()).isEqualTo(one.provenance().bestValidationNll());
        assertThat(two.teacherForcedNll(validation)).containsExactly(one.teacherForcedNll(validation));
    }

    @Test
    void lossFallsOnALearnableCase() {
        List<EpochReport> reports = new ArrayList<>();
        NadeModel model = new NadeTrainer(small(6)).train(train, validation, new NadeTrainingListener() {
            @Override
            public void afterEpoch(EpochReport report, java.util.function.Supplier<byte[]> checkpoint) {
                reports.add(report);
            }
        });
        assertThat(reports).hasSize(6);
        EpochReport first = reports.get(0);
        EpochReport last = reports.get(5);
        assertThat(last.validationNll()).isLessThan(first.validationNll() - 20);
        assertThat(last.trainNll()).isLessThan(first.trainNll() - 20);
        assertThat(model.provenance().bestEpoch()).isEqualTo(
                reports.stream().min(java.util.Comparator.comparingDouble(EpochReport::validationNll)).orElseThrow().epoch());
        // the model's own stepping code agrees with DL4J's teacher-forced NLL of the best epoch
        double[] nll = model.teacherForcedNll(validation);
        double mean = java.util.Arrays.stream(nll).average().orElseThrow();
        assertThat(mean).isCloseTo(model.provenance().bestValidationNll(), within(0.05));
    }

    @Test
    void reportedTrainNllIsNllPerProfile() {
        MultiLayerNetwork net = NadeNetworks.create(small(1), DataType.FLOAT);
        NadeNormaliser normaliser = NadeNormaliser.fit(train);
        DataSet all = NadeNetworks.dataSet(validation, null, 0, validation.profileCount(), normaliser, DataType.FLOAT);
        double perProfile = NadeTrainer.meanNll(NadeKernel.fromNetwork(net), small(1), validation, normaliser);
        net.setInput(all.getFeatures());
        net.setLabels(all.getLabels());
        net.computeGradientAndScore();
        assertThat(net.score()).isCloseTo(perProfile, within(1e-3 * Math.abs(perProfile)));
    }

    @Test
    void resumingFromACheckpointContinuesTheSameRun() {
        NadeHyperParameters hp = small(4);
        NadeModel straight = new NadeTrainer(hp).train(train, validation, NadeTrainingListener.NONE);
        byte[][] afterTwo = new byte[1][];
        RuntimeException killed = new RuntimeException("killed");
        assertThatThrownBy(() -> new NadeTrainer(hp).train(train, validation, new NadeTrainingListener() {
            @Override
            public void afterEpoch(EpochReport report, java.util.function.Supplier<byte[]> checkpoint) {
                if (report.epoch() == 2) {
                    afterTwo[0] = checkpoint.get();
                }
            }

            @Override
            public void afterBatch(int epoch, int batch, int batches) {
                if (epoch == 3 && batch == 3) {
                    throw killed;
                }
            }
        })).isSameAs(killed);
        assertThat(NadeTrainer.checkpointEpoch(afterTwo[0])).isEqualTo(2);
        List<Integer> epochs = new ArrayList<>();
        NadeModel resumed = new NadeTrainer(hp).train(train, validation, null, afterTwo[0], new NadeTrainingListener() {
            @Override
            public void afterEpoch(EpochReport report, java.util.function.Supplier<byte[]> checkpoint) {
                epochs.add(report.epoch());
            }
        });
        assertThat(epochs).containsExactly(3, 4);
        assertThat(resumed.provenance().bestValidationNll()).isEqualTo(straight.provenance().bestValidationNll());
        INDArray a = straight.network(false).params();
        INDArray b = resumed.network(false).params();
        assertThat(a.equals(b)).as("identical parameters").isTrue();
    }

    @Test
    void checkpointOfOtherDataIsRefused() {
        NadeHyperParameters hp = small(1);
        byte[][] checkpoint = new byte[1][];
        new NadeTrainer(hp).train(train, validation, new NadeTrainingListener() {
            @Override
            public void afterEpoch(EpochReport report, java.util.function.Supplier<byte[]> c) {
                checkpoint[0] = c.get();
            }
        });
        assertThatThrownBy(() -> new NadeTrainer(hp.withEpochs(2)).train(train, validation, null, checkpoint[0],
                NadeTrainingListener.NONE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NadeTrainer(hp).train(validation, train, null, checkpoint[0],
                NadeTrainingListener.NONE)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void badHyperParametersNameTheField() {
        assertThatThrownBy(() -> NadeHyperParameters.defaults().withBatchSize(0))
                .isInstanceOf(InvalidHyperParameterException.class)
                .satisfies(e -> assertThat(((InvalidHyperParameterException) e).field()).isEqualTo("batchSize"));
        assertThatThrownBy(() -> NadeHyperParameters.defaults().withLearningRate(-1,
                NadeHyperParameters.LearningRateSchedule.CONSTANT))
                .satisfies(e -> assertThat(((InvalidHyperParameterException) e).field()).isEqualTo("learningRate"));
    }

    @Test
    void cosineScheduleDecaysToTheFinalFraction() {
        NadeHyperParameters hp = NadeHyperParameters.defaults().withEpochs(11)
                .withLearningRate(1e-2, NadeHyperParameters.LearningRateSchedule.COSINE)
                .withFinalLearningRateFraction(0.1);
        assertThat(hp.learningRateAt(0)).isCloseTo(1e-2, within(1e-12));
        assertThat(hp.learningRateAt(10)).isCloseTo(1e-3, within(1e-12));
        assertThat(hp.learningRateAt(5)).isCloseTo(5.5e-3, within(1e-12));
    }
}
