package org.cvdplanner.nade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.cvdplanner.synthesis.ConditionVector;
import org.cvdplanner.synthesis.PhaseVector;
import org.cvdplanner.synthesis.ProfileArrays;
import org.cvdplanner.synthesis.Schedule;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

class NadeModelTests {

    static ProfileArrays train;
    static ProfileArrays test;
    static NadeModel model;

    @BeforeAll
    static void trainSmallModel() {
        ProfileArrays all = SyntheticProfiles.generate(288, 20, 21);
        train = SyntheticProfiles.slice(all, 0, 192);
        ProfileArrays validation = SyntheticProfiles.slice(all, 192, 256);
        test = SyntheticProfiles.slice(all, 256, 288);
        model = new NadeTrainer(NadeHyperParameters.defaults().withEpochs(3).withSeed(4).withEarlyStoppingPatience(0)
                .withLearningRate(3e-3, NadeHyperParameters.LearningRateSchedule.CONSTANT))
                .train(train, validation, 77L, null, NadeTrainingListener.NONE);
    }

    static List<Schedule> randomSchedules(int count, long seed, double widen) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Schedule> schedules = new ArrayList<>();
        for (int s = 0; s < count; s++) {
            List<ConditionVector> steps = new ArrayList<>();
            for (int t = 0; t < 20; t++) {
                steps.add(new ConditionVector(750 * widen + rng.nextDouble() * 3000 * widen, rng.nextDouble() * 250 * widen,
                        rng.nextDouble() * 250 * widen, rng.nextDouble() * 200 * widen));
            }
            schedules.add(new Schedule(steps));
        }
        return schedules;
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {8, 32})
    void steppingCodeReproducesTheDl4jNetwork(int rows) {
        // 8 rows: dense layers in Java; 32 rows: dense layers as ND4J gemms
        MultiLayerNetwork net = model.network(false);
        NadeNormaliser normaliser = model.normaliser();
        DataSet ds = NadeNetworks.dataSet(test, null, 0, rows, normaliser, DataType.FLOAT);
        INDArray raw = net.output(ds.getFeatures(), false); // [rows, 6, 19]
        NadeRollout rollout = model.newRollout(rows);
        for (int t = 0; t < 19; t++) {
            float[] z = new float[rows * 3];
            float[] x = new float[rows * 4];
            for (int i = 0; i < rows; i++) {
                for (int k = 0; k < 3; k++) {
                    z[i * 3 + k] = test.phase(i, t, k);
                }
                for (int c = 0; c < 4; c++) {
                    x[i * 4 + c] = test.condition(i, t, c);
                }
            }
            StepOutput out = rollout.step(z, x);
            for (int i = 0; i < rows; i++) {
                double[] m = new double[3];
                GaussianNllLoss.softmax3(raw.getDouble(i, 0, t), raw.getDouble(i, 1, t), raw.getDouble(i, 2, t), m, 0);
                for (int k = 0; k < 3; k++) {
                    assertThat((double) out.mean(i, k)).as("mean row %d step %d phase %d", i, t, k)
                            .isCloseTo(m[k], within(1e-5));
                    double v = GaussianNllLoss.softplus(raw.getDouble(i, 3 + k, t)) + model.provenance()
                            .hyperParameters().varianceFloor();
                    assertThat((double) out.variance(i, k)).isCloseTo(v, within(1e-5 * Math.max(1, v)));
                }
            }
        }
        assertThat(rollout.stepsTaken()).isEqualTo(19);
    }

    @Test
    void predictionsStayOnTheSimplexEvenFarOutsideTheTrainingData() {
        for (double widen : new double[] {1, 3, 0.01}) {
            List<Schedule> schedules = randomSchedules(6, 8, widen);
            for (Schedule schedule : schedules) {
                for (double[] z : model.predictMean(schedule, PhaseVector.INITIAL)) {
                    assertOnSimplex(z);
                }
            }
            for (TrajectoryForecast f : model.forecast(schedules, PhaseVector.INITIAL, 16, 3)) {
                for (int t = 0; t < f.steps(); t++) {
                    assertOnSimplex(f.mean()[t]);
                    for (int k = 0; k < 3; k++) {
                        assertThat(f.p5()[t][k]).isBetween(0.0, f.p50()[t][k]);
                        assertThat(f.p95()[t][k]).isBetween(f.p50()[t][k], 1.0);
                    }
                }
            }
        }
        NadeRollout rollout = model.newRollout(2);
        StepOutput out = rollout.step(new float[][] {{0.2f, 0.3f, 0.5f}, {1, 0, 0}},
                new float[][] {{1e6f, -5, 1e4f, 0}, {0, 0, 0, 0}});
        for (int i = 0; i < 2; i++) {
            assertOnSimplex(new double[] {out.mean(i, 0), out.mean(i, 1), out.mean(i, 2)});
            float[] sample = rollout.sample(out, new SplittableRandom(1));
            assertOnSimplex(new double[] {sample[i * 3], sample[i * 3 + 1], sample[i * 3 + 2]});
            for (int k = 0; k < 3; k++) {
                // far outside the data too: finite, and never below the configured floor
                assertThat(Float.isFinite(out.variance(i, k))).isTrue();
                assertThat(out.variance(i, k)).isGreaterThanOrEqualTo(
                        (float) model.provenance().hyperParameters().varianceFloor());
            }
        }
    }

    private static void assertOnSimplex(double[] z) {
        assertThat(z[0] + z[1] + z[2]).isCloseTo(1.0, within(1e-6));
        for (double v : z) {
            assertThat(v).isBetween(0.0, 1.0);
        }
    }

    @Test
    void savedAndReloadedModelPredictsBitIdentically() {
        byte[] bytes = model.toBytes();
        NadeModel reloaded = NadeModel.fromBytes(bytes, model.sha256());
        assertThat(reloaded.sha256()).isEqualTo(model.sha256());
        assertThat(reloaded.provenance()).isEqualTo(model.provenance());
        assertThat(reloaded.trainingConditionRanges()).isEqualTo(model.trainingConditionRanges());
        List<Schedule> schedules = randomSchedules(3, 5, 1);
        List<TrajectoryForecast> a = model.forecast(schedules, PhaseVector.INITIAL, 32, 11);
        List<TrajectoryForecast> b = reloaded.forecast(schedules, PhaseVector.INITIAL, 32, 11);
        for (int s = 0; s < schedules.size(); s++) {
            assertThat(b.get(s).mean()).isDeepEqualTo(a.get(s).mean());
            assertThat(b.get(s).p5()).isDeepEqualTo(a.get(s).p5());
            assertThat(b.get(s).p95()).isDeepEqualTo(a.get(s).p95());
            assertThat(reloaded.predictMean(schedules.get(s), PhaseVector.INITIAL))
                    .isDeepEqualTo(model.predictMean(schedules.get(s), PhaseVector.INITIAL));
        }
        assertThat(reloaded.teacherForcedNll(test)).containsExactly(model.teacherForcedNll(test));
        MultiLayerNetwork withUpdater = reloaded.network(true);
        assertThat(withUpdater.getUpdater().getStateViewArray()).as("Adam state kept").isNotNull();
    }

    @Test
    void onlyBytesWithTheExpectedHashAreDeserialised() {
        byte[] bytes = model.toBytes();
        assertThatThrownBy(() -> NadeModel.fromBytes(bytes, "00" + model.sha256().substring(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not match");
        byte[] tampered = bytes.clone();
        tampered[tampered.length / 2] ^= 1;
        assertThatThrownBy(() -> NadeModel.fromBytes(tampered, model.sha256()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NadeModel.fromBytes(bytes, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rolloutsAreReproducibleForASeed() {
        List<Schedule> schedules = randomSchedules(2, 9, 1);
        List<TrajectoryForecast> a = model.forecast(schedules, PhaseVector.INITIAL, 64, 123);
        List<TrajectoryForecast> b = model.forecast(schedules, PhaseVector.INITIAL, 64, 123);
        List<TrajectoryForecast> c = model.forecast(schedules, PhaseVector.INITIAL, 64, 124);
        assertThat(b.get(1).mean()).isDeepEqualTo(a.get(1).mean());
        assertThat(b.get(0).p95()).isDeepEqualTo(a.get(0).p95());
        assertThat(b.get(1).sampleMean()).isDeepEqualTo(a.get(1).sampleMean());
        assertThat(c.get(0).sampleMean()).isNotEqualTo(a.get(0).sampleMean());
    }

    @Test
    void rolloutCarriesStateAndCopiesBranchIndependently() {
        NadeRollout rollout = model.newRollout(4);
        float[] z = rollout.initialPhases();
        float[] x = new float[16];
        for (int i = 0; i < 4; i++) {
            x[i * 4] = 3300;
            x[i * 4 + 1] = 60;
            x[i * 4 + 2] = 100;
            x[i * 4 + 3] = 100;
        }
        StepOutput first = rollout.step(z, x);
        NadeRollout branch = rollout.copy();
        StepOutput second = rollout.step(first.meanFlat(), x);
        StepOutput secondOfBranch = branch.step(first.meanFlat(), x);
        assertThat(secondOfBranch.hiddenFlat()).containsExactly(second.hiddenFlat());
        assertThat(second.hiddenFlat()).isNotEqualTo(first.hiddenFlat());
        assertThat(second.hidden()).hasDimensions(4, 128);
        rollout.reset();
        assertThat(rollout.step(z, x).hiddenFlat()).containsExactly(first.hiddenFlat());
    }

    @Test
    void evaluationReportsThePapersMetrics() {
        NadeEvaluation e = model.evaluate(test, 16, 5);
        assertThat(e.profiles()).isEqualTo(32);
        assertThat(e.rmsePerStep()).hasDimensions(20, 3);
        assertThat(e.rmsePerStep()[0]).containsExactly(0, 0, 0);
        assertThat(e.lastStep().truth()).hasDimensions(32, 3);
        for (int k = 0; k < 3; k++) {
            // this briefly trained model errs, but by less than half a phase fraction, and its 90 %
            // bands cover at least half of the truth
            assertThat(e.rmsePerPhase()[k]).isBetween(0.001, 0.5);
            assertThat(e.maePerPhase()[k]).isLessThanOrEqualTo(e.rmsePerPhase()[k] + 1e-12);
            assertThat(e.bandCoverage90()[k]).isBetween(0.5, 1.0);
            assertThat(e.oneStepCoverage90()[k]).isBetween(0.5, 1.0);
            double rmse = Math.sqrt(e.lastStep().errorMean()[k] * e.lastStep().errorMean()[k]
                    + e.lastStep().errorStd()[k] * e.lastStep().errorStd()[k] * 31 / 32);
            assertThat(e.lastStep().rmse()[k]).isCloseTo(rmse, within(1e-9));
        }
        assertThat(e.nllPerProfile()).isCloseTo(java.util.Arrays.stream(model.teacherForcedNll(test)).average()
                .orElseThrow(), within(1e-9));
        assertThat(e.toMetrics(true)).containsKeys("nllPerProfile", "rmsePerStepAtoms", "lastStep");
    }
}
