package org.cvdplanner.nade;

import org.cvdplanner.artifact.Artifacts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.cvdplanner.synthesis.ConditionVector;
import org.cvdplanner.synthesis.PhaseVector;
import org.cvdplanner.synthesis.ProfileArrays;
import org.cvdplanner.synthesis.Schedule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** Point forecast, simplex sampler, band quantiles, calibration and long schedules. */
class NadeForecastTests {

    static final double ATOM = 1.0 / 288;
    static ProfileArrays validation;
    static ProfileArrays test;
    static NadeModel model;

    @BeforeAll
    static void trainSmallModel() {
        ProfileArrays all = SyntheticProfiles.generate(288, 20, 21);
        ProfileArrays train = SyntheticProfiles.slice(all, 0, 192);
        validation = SyntheticProfiles.slice(all, 192, 256);
        test = SyntheticProfiles.slice(all, 256, 288);
        model = new NadeTrainer(NadeHyperParameters.defaults().withEpochs(10).withSeed(4).withEarlyStoppingPatience(0)
                .withLearningRate(3e-3, NadeHyperParameters.LearningRateSchedule.CONSTANT))
                .train(train, validation, 77L, null, NadeTrainingListener.NONE);
    }

    /** Mean and variance of {@code draws} samples of each phase from one sampler. */
    private static double[][] moments(float[] mean, float[] variance, int draws, boolean projection) {
        SplittableRandom rng = new SplittableRandom(42);
        double[] sum = new double[3];
        double[] sumSq = new double[3];
        float[] z = new float[3];
        for (int i = 0; i < draws; i++) {
            if (projection) {
                for (int k = 0; k < 3; k++) {
                    z[k] = (float) (mean[k] + Math.sqrt(variance[k]) * rng.nextGaussian());
                }
                Simplex.project(z, 0);
            } else {
                Simplex.sample(mean, variance, null, 0, rng, z);
            }
            assertThat(z[0] + z[1] + z[2]).isCloseTo(1f, within(2e-6f));
            for (int k = 0; k < 3; k++) {
                assertThat(z[k]).isBetween(0f, 1f);
                sum[k] += z[k];
                sumSq[k] += (double) z[k] * z[k];
            }
        }
        double[][] m = new double[2][3];
        for (int k = 0; k < 3; k++) {
            m[0][k] = sum[k] / draws;
            m[1][k] = sumSq[k] / draws - m[0][k] * m[0][k];
        }
        return m;
    }

    @Test
    void samplerStaysOnTheSimplexAndItsMeanIsThePredictedMean() {
        // rare 2H (half an atom) with 3 atoms of noise per phase: the realistic data's situation
        float sd = (float) (3 * ATOM);
        float[] variance = {sd * sd, sd * sd, sd * sd};
        float[][] means = {{0.5f / 288, 0.1f, 0.9f - 0.5f / 288}, {0.02f, 0.3f, 0.68f}, {0.001f, 0.001f, 0.998f},
            {0.6f, 0.25f, 0.15f}};
        int draws = 200_000;
        for (float[] mean : means) {
            double[][] m = moments(mean, variance, draws, false);
            for (int k = 0; k < 3; k++) {
                double se = Math.sqrt(Math.max(m[1][k], 1e-12) / draws);
                assertThat(m[0][k]).as("mean of phase %d for mu %s", k, Arrays.toString(mean))
                        .isCloseTo(mean[k], within(5 * se + 1e-6));
                if (mean[k] < 0.05) {
                    // no upward push of rare phases at all
                    assertThat(m[0][k] - mean[k]).as("bias of rare phase %d", k).isLessThan(5 * se);
                }
            }
        }
        // the Euclidean projection of Gaussian draws fails the same check: it pushes rare 2H up
        double[][] projected = moments(means[0], variance, draws, true);
        double se = Math.sqrt(projected[1][0] / draws);
        assertThat(projected[0][0] - means[0][0]).as("projection bias of 2H").isGreaterThan(50 * se);
        assertThat((projected[0][0] - means[0][0]) * 288).as("projection bias of 2H in atoms").isGreaterThan(0.5);
    }

    @Test
    void latentGaussianClippedAtZeroHasThePredictedMeanAndVariance() {
        // (mean, sd) in atoms: heavily clipped (rare phase), partly clipped, hardly clipped
        double[][] cases = {{0.6, 3}, {1, 3}, {2, 3}, {5, 4}, {30, 6}, {0.05, 3}};
        SplittableRandom rng = new SplittableRandom(8);
        double[] latent = new double[2];
        int n = 400_000;
        for (double[] c : cases) {
            double mu = c[0] * ATOM;
            double var = c[1] * c[1] * ATOM * ATOM;
            Simplex.latent(mu, var, latent);
            double sum = 0;
            double sumSq = 0;
            for (int i = 0; i < n; i++) {
                double y = Math.max(0, latent[0] + latent[1] * rng.nextGaussian());
                sum += y;
                sumSq += y * y;
            }
            double m = sum / n;
            double v = sumSq / n - m * m;
            if (c[1] / c[0] > 5) {
                // beyond the cap the variance is 25.6 mean^2
                assertThat(v).as("capped variance for %s atoms", Arrays.toString(c)).isCloseTo(25.6 * mu * mu,
                        within(0.05 * 25.6 * mu * mu));
            }
            assertThat(m).as("mean for %s atoms", Arrays.toString(c)).isCloseTo(mu, within(5 * Math.sqrt(v / n)));
            if (c[1] / c[0] <= 5) {
                assertThat(v).as("variance for %s atoms", Arrays.toString(c)).isCloseTo(var, within(0.03 * var));
            }
        }
        // unclipped regime: the latent Gaussian is the predicted one
        Simplex.latent(0.5, 1e-4, latent);
        assertThat(latent[0]).isEqualTo(0.5);
        assertThat(latent[1]).isCloseTo(0.01, within(1e-12));
        assertThat(Simplex.normalCdf(1.6448536269514722)).isCloseTo(0.95, within(1e-7));
    }

    @Test
    void rareSamplesAreExactlyZeroAsOftenAsClippedDataAndScaledVarianceWidensDraws() {
        float sd = (float) (3 * ATOM);
        float[] mean = {(float) (0.5 * ATOM), 0.2f, 0.8f - (float) (0.5 * ATOM)};
        float[] variance = {sd * sd, sd * sd, sd * sd};
        SplittableRandom rng = new SplittableRandom(3);
        float[] z = new float[3];
        int zeros = 0;
        double sum1 = 0;
        double sumSq1 = 0;
        double sumScaled = 0;
        double sumSqScaled = 0;
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            Simplex.sample(mean, variance, null, 0, rng, z);
            if (z[0] == 0) {
                zeros++;
            }
            sum1 += z[1];
            sumSq1 += z[1] * z[1];
            Simplex.sample(mean, variance, new float[] {4, 4, 4}, 0, rng, z);
            sumScaled += z[1];
            sumSqScaled += z[1] * z[1];
        }
        // a phase with a mean of half an atom under 3 atoms of noise is 0 in most draws
        assertThat(zeros / (double) n).isBetween(0.6, 0.97);
        double var = sumSq1 / n - (sum1 / n) * (sum1 / n);
        double varScaled = sumSqScaled / n - (sumScaled / n) * (sumScaled / n);
        assertThat(varScaled / var).isBetween(3.6, 4.4);
    }

    @Test
    void bandQuantilesCoverNinetyPercentOfNewDrawsWhateverTheNumberOfRollouts() {
        SplittableRandom rng = new SplittableRandom(5);
        for (int rollouts : new int[] {32, 64}) {
            int inside = 0;
            int insideType7 = 0;
            int reps = 20_000;
            float[] draws = new float[rollouts];
            for (int r = 0; r < reps; r++) {
                for (int j = 0; j < rollouts; j++) {
                    draws[j] = (float) rng.nextGaussian();
                }
                Arrays.sort(draws);
                double truth = rng.nextGaussian();
                if (truth >= NadeModel.quantile(draws, 0.05) && truth <= NadeModel.quantile(draws, 0.95)) {
                    inside++;
                }
                if (truth >= type7(draws, 0.05) && truth <= type7(draws, 0.95)) {
                    insideType7++;
                }
            }
            // binomial sd at 20,000 trials: 0.002; interpolating values (not probabilities) between order
            // statistics adds up to ~0.01 in the Gaussian's tails at 32 draws
            assertThat(inside / (double) reps).as("coverage with %d rollouts", rollouts).isCloseTo(0.90, within(0.012));
            assertThat(insideType7 / (double) reps).as("type-7 coverage with %d rollouts", rollouts).isLessThan(0.885);
        }
        assertThat(NadeModel.quantile(new float[] {1, 2, 3}, 0.5)).isEqualTo(2.0);
        assertThat(NadeModel.quantile(new float[] {1, 2, 3}, 0.05)).isEqualTo(1.0);
        assertThat(NadeModel.quantile(new float[] {1, 2, 3}, 0.95)).isEqualTo(3.0);
    }

    /** The spreadsheet quantile (Hyndman–Fan type 7) the bands used before. */
    private static double type7(float[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    @Test
    void pointForecastIsTheMeanFedRolloutAndSamplesAreSummarisedBesideIt() {
        List<Schedule> schedules = NadeModelTests.randomSchedules(3, 12, 1);
        List<TrajectoryForecast> forecasts = model.forecast(schedules, PhaseVector.INITIAL, 64, 9);
        for (int s = 0; s < schedules.size(); s++) {
            double[][] meanFed = model.predictMean(schedules.get(s), PhaseVector.INITIAL);
            TrajectoryForecast f = forecasts.get(s);
            for (int t = 0; t < f.steps(); t++) {
                for (int k = 0; k < 3; k++) {
                    assertThat(f.mean()[t][k]).isCloseTo(meanFed[t][k], within(1e-5));
                    assertThat(f.sampleMean()[t][k]).isBetween(0.0, 1.0);
                }
            }
        }
        // the sample mean is random; the point forecast is not
        List<TrajectoryForecast> other = model.forecast(schedules, PhaseVector.INITIAL, 64, 10);
        assertThat(other.get(0).mean()).isDeepEqualTo(forecasts.get(0).mean());
        assertThat(other.get(0).sampleMean()).isNotEqualTo(forecasts.get(0).sampleMean());
    }

    @Test
    void evaluationErrorsComeFromTheMeanFedRollout() {
        NadeEvaluation e = model.evaluate(test, 16, 5);
        int n = test.profileCount();
        int last = test.steps() - 1;
        double[] se = new double[3];
        for (int p = 0; p < n; p++) {
            double[][] meanFed = model.predictMean(test.profile(p).schedule(), test.profile(p).trajectory().at(0));
            for (int k = 0; k < 3; k++) {
                double d = meanFed[last][k] - test.phase(p, last, k);
                se[k] += d * d;
            }
        }
        for (int k = 0; k < 3; k++) {
            assertThat(e.lastStep().rmse()[k]).isCloseTo(Math.sqrt(se[k] / n), within(1e-5));
            assertThat(e.rmsePerStep()[last][k]).isCloseTo(e.lastStep().rmse()[k], within(1e-7));
            assertThat(e.sampleMeanLastStepRmse()[k]).isBetween(0.0, 1.0);
        }
        assertThat(e.varianceScale()).containsExactly(1, 1, 1);
        @SuppressWarnings("unchecked")
        Map<String, Object> last2 = (Map<String, Object>) e.toMetrics(false).get("lastStep");
        assertThat(last2).containsKeys("meanFedRmseAtoms", "sampleMeanRmseAtoms");
    }

    /** Profiles with {@code source}'s schedules and trajectories drawn from {@code generator}'s own rollouts. */
    static ProfileArrays drawnFrom(NadeModel generator, ProfileArrays source, long seed) {
        int n = source.profileCount();
        int steps = source.steps();
        float[] phases = new float[n * steps * 3];
        NadeRollout rollout = generator.newRollout(n);
        float[] z = rollout.initialPhases();
        float[] x = new float[n * 4];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int t = 0; t < steps; t++) {
            for (int p = 0; p < n; p++) {
                System.arraycopy(z, p * 3, phases, (p * steps + t) * 3, 3);
                System.arraycopy(source.conditions(), (p * steps + t) * 4, x, p * 4, 4);
            }
            if (t < steps - 1) {
                z = rollout.sample(rollout.step(z, x), rng);
            }
        }
        return new ProfileArrays(source.externalIds(), steps, source.conditions(), phases);
    }

    @Test
    void calibrationRecoversTheVarianceFactorOfDataDrawnFromAWiderModel() {
        // data drawn from the model's own sampler with variance x 0.25: the fitted factor must be near
        // 0.25 (and near 1 for data drawn from the model itself), with validation coverage 0.90
        ProfileArrays both = SyntheticProfiles.generate(400, 20, 33);
        NadeModel sharper = model.withCalibration(new NadeCalibration(new double[] {0.25, 0.25, 0.25}, null, null, 0, 0,
                0, 0));
        double[] fitted = new double[2];
        int i = 0;
        for (double truth : new double[] {0.25, 1}) {
            ProfileArrays drawn = drawnFrom(truth < 1 ? sharper : model, both, 5);
            NadeModel calibrated = model.calibrated(drawn, 32, 3, 1000);
            NadeCalibration c = calibrated.calibration();
            String detail = String.format("factors %s, coverage before %s after %s", Arrays.toString(c.varianceScale()),
                    Arrays.toString(c.validationCoverageBefore()), Arrays.toString(c.validationCoverageAfter()));
            assertThat(average(c.validationCoverageAfter())).as(detail).isCloseTo(0.90, within(0.004));
            if (truth < 1) {
                assertThat(average(c.validationCoverageBefore())).as(detail).isGreaterThan(0.95);
            }
            fitted[i++] = c.varianceScale()[0];
        }
        // exact zeros (clipped phases) tie with p5 = 0 and count as covered, so even data drawn from
        // the model itself is covered a little more than 90 % and its factor comes out below 1; the
        // ratio of the two factors is the ratio of the generators' variances
        assertThat(fitted[1] / fitted[0]).as(Arrays.toString(fitted)).isBetween(4 / 1.5, 4 * 1.5);
        assertThat(fitted[1]).isBetween(0.4, 1.2);
    }

    @Test
    void calibrationTravelsWithTheArtifactAndLeavesTheNetworkAlone() {
        NadeModel calibrated = model.calibrated(validation, 16, 3, 1000);
        NadeCalibration c = calibrated.calibration();
        assertThat(c.profiles()).isEqualTo(validation.profileCount());
        assertThat(Math.abs(average(c.validationCoverageAfter()) - 0.9))
                .isLessThanOrEqualTo(Math.abs(average(c.validationCoverageBefore()) - 0.9));
        // re-measured independently: the evaluation of the validation profiles with the same seed and rollouts
        NadeEvaluation onValidation = calibrated.evaluate(validation, 16, 3);
        assertThat(onValidation.bandCoverage90()).containsExactly(c.validationCoverageAfter(), within(1e-12));
        assertThat(onValidation.varianceScale()).containsExactly(c.varianceScale());
        // the network and the point forecast are unchanged; the artifact is new and carries the factors
        assertThat(calibrated.sha256()).isNotEqualTo(model.sha256());
        assertThat(calibrated.teacherForcedNll(test)).containsExactly(model.teacherForcedNll(test));
        NadeModel reloaded = NadeModel.fromBytes(calibrated.toBytes(), calibrated.sha256());
        assertThat(reloaded.calibration().varianceScale()).containsExactly(c.varianceScale());
        List<Schedule> schedules = NadeModelTests.randomSchedules(2, 3, 1);
        assertThat(reloaded.forecast(schedules, PhaseVector.INITIAL, 32, 1).get(1).p95())
                .isDeepEqualTo(calibrated.forecast(schedules, PhaseVector.INITIAL, 32, 1).get(1).p95());
        assertThat(reloaded.forecast(schedules, PhaseVector.INITIAL, 32, 1).get(1).mean())
                .isDeepEqualTo(model.forecast(schedules, PhaseVector.INITIAL, 32, 1).get(1).mean());
        // calibrating a calibrated model starts from factors 1 again
        assertThat(calibrated.calibrated(validation, 16, 3, 1000).calibration().varianceScale())
                .containsExactly(c.varianceScale());
    }

    private static double average(double[] coverage) {
        return (coverage[0] + coverage[1] + coverage[2]) / 3;
    }

    @Test
    void artifactsWrittenBeforeCalibrationExistedSampleWithFactorOne() {
        java.util.Map<String, byte[]> entries = Artifacts.unzip(model.toBytes(), NadeArtifacts.MAX_ENTRY_BYTES, "NADE");
        ObjectNode metadata = (ObjectNode) Artifacts.JSON.readTree(entries.get(NadeModel.METADATA_ENTRY));
        assertThat(metadata.has("calibration")).isTrue();
        metadata.remove("calibration");
        entries.put(NadeModel.METADATA_ENTRY, Artifacts.JSON.writeValueAsBytes(metadata));
        byte[] old = Artifacts.zip(entries);
        NadeModel loaded = NadeModel.fromBytes(old, Artifacts.sha256(old));
        assertThat(loaded.calibration().varianceScale()).containsExactly(1, 1, 1);
        List<Schedule> schedules = NadeModelTests.randomSchedules(2, 3, 1);
        assertThat(loaded.forecast(schedules, PhaseVector.INITIAL, 32, 1).get(0).p5())
                .isDeepEqualTo(model.forecast(schedules, PhaseVector.INITIAL, 32, 1).get(0).p5());
    }

    @Test
    void inflatedVarianceWidensTheBands() {
        // (narrowing a model's variance: widening may reach the sampler's cap of sd = 5 x mean)
        NadeModel sharp = model.withCalibration(new NadeCalibration(new double[] {0.25, 0.25, 0.25}, null, null, 0, 0, 0,
                0));
        List<Schedule> schedules = NadeModelTests.randomSchedules(1, 4, 1);
        TrajectoryForecast narrow = sharp.forecast(schedules, PhaseVector.INITIAL, 256, 2).get(0);
        TrajectoryForecast broad = model.forecast(schedules, PhaseVector.INITIAL, 256, 2).get(0);
        double widthNarrow = 0;
        double widthBroad = 0;
        for (int t = 1; t < narrow.steps(); t++) {
            for (int k = 0; k < 3; k++) {
                widthNarrow += narrow.p95()[t][k] - narrow.p5()[t][k];
                widthBroad += broad.p95()[t][k] - broad.p5()[t][k];
            }
        }
        assertThat(widthBroad).isGreaterThan(1.5 * widthNarrow);
        assertThat(broad.mean()).isDeepEqualTo(narrow.mean());
    }

    @Test
    void schedulesLongerThanTheTrainingProfilesRollOn() {
        SplittableRandom rng = new SplittableRandom(2);
        List<ConditionVector> steps = new ArrayList<>();
        for (int t = 0; t < 60; t++) {
            steps.add(new ConditionVector(1500 + 1500 * rng.nextDouble(), 100, 100, 100));
        }
        TrajectoryForecast f = model.forecast(List.of(new Schedule(steps)), PhaseVector.INITIAL, 64, 1).get(0);
        assertThat(f.steps()).isEqualTo(60);
        for (int t = 0; t < 60; t++) {
            assertThat(f.mean()[t][0] + f.mean()[t][1] + f.mean()[t][2]).isCloseTo(1.0, within(1e-5));
            for (int k = 0; k < 3; k++) {
                assertThat(f.p5()[t][k]).isBetween(0.0, f.p95()[t][k]);
                assertThat(f.p95()[t][k]).isLessThanOrEqualTo(1.0);
            }
        }
        // the first 20 steps are those of the 20-step prefix
        TrajectoryForecast prefix = model.forecast(List.of(new Schedule(steps.subList(0, 20))), PhaseVector.INITIAL, 64, 1)
                .get(0);
        for (int t = 0; t < 20; t++) {
            assertThat(f.mean()[t]).containsExactly(prefix.mean()[t]);
        }
    }

    @Test
    void simplexProjectionKeepsPhaseVectorsValid() {
        float[] v = {0.7f, 0.6f, -0.2f};
        Simplex.project(v, 0);
        assertThat(v[0] + v[1] + v[2]).isCloseTo(1f, within(1e-6f));
        assertThat(v[2]).isZero();
        assertThat(v[0] - v[1]).isCloseTo(0.1f, within(1e-6f));
        float[] inside = {0.2f, 0.3f, 0.5f};
        Simplex.project(inside, 0);
        assertThat(inside).containsExactly(0.2f, 0.3f, 0.5f);
    }
}
