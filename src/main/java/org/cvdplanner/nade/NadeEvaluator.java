package org.cvdplanner.nade;

import java.util.SplittableRandom;

import org.cvdplanner.synthesis.ConditionVector;
import org.cvdplanner.synthesis.PhaseVector;
import org.cvdplanner.synthesis.ProfileArrays;

/** Computes {@link NadeEvaluation}s with the model's own stepping code. */
final class NadeEvaluator {

    /** Two-sided 90 % quantile of the standard normal. */
    static final double Z90 = 1.6448536269514722;
    private static final int P = PhaseVector.SIZE;
    private static final int C = ConditionVector.SIZE;

    private NadeEvaluator() {
    }

    record TeacherForced(double[] nll, long[] inside, long count) {
    }

    static TeacherForced teacherForced(NadeModel model, ProfileArrays data) {
        int n = data.profileCount();
        int steps = data.steps();
        double[] nll = new double[n];
        long[] inside = new long[P];
        long count = 0;
        for (int from = 0; from < n; from += NadeModel.CHUNK_ROWS) {
            int rows = Math.min(NadeModel.CHUNK_ROWS, n - from);
            NadeRollout rollout = model.newRollout(rows);
            float[] z = new float[rows * P];
            float[] x = new float[rows * C];
            for (int t = 0; t < steps - 1; t++) {
                for (int i = 0; i < rows; i++) {
                    int p = from + i;
                    System.arraycopy(data.phases(), (p * steps + t) * P, z, i * P, P);
                    System.arraycopy(data.conditions(), (p * steps + t) * C, x, i * C, C);
                }
                StepOutput out = rollout.step(z, x);
                for (int i = 0; i < rows; i++) {
                    int p = from + i;
                    double sum = 0;
                    for (int k = 0; k < P; k++) {
                        double y = data.phase(p, t + 1, k);
                        double m = out.mean(i, k);
                        double v = out.variance(i, k);
                        double d = y - m;
                        sum += GaussianNllLoss.HALF_LOG_TWO_PI + 0.5 * Math.log(v) + d * d / (2 * v);
                        if (Math.abs(d) <= Z90 * Math.sqrt(v)) {
                            inside[k]++;
                        }
                    }
                    nll[p] += sum;
                }
                count += rows;
            }
        }
        return new TeacherForced(nll, inside, count);
    }

    static NadeEvaluation evaluate(NadeModel model, ProfileArrays data, int rollouts, long seed) {
        if (rollouts < 2) {
            throw new IllegalArgumentException("rollouts must be >= 2 for bands");
        }
        int n = data.profileCount();
        int steps = data.steps();
        if (n == 0 || steps < 2) {
            throw new IllegalArgumentException("nothing to evaluate");
        }
        TeacherForced tf = teacherForced(model, data);
        double meanNll = 0;
        for (double v : tf.nll()) {
            meanNll += v;
        }
        meanNll /= n;
        double var = 0;
        for (double v : tf.nll()) {
            var += (v - meanNll) * (v - meanNll);
        }
        double nllSe = n > 1 ? Math.sqrt(var / (n - 1) / n) : 0;
        double[] oneStep = new double[P];
        for (int k = 0; k < P; k++) {
            oneStep[k] = tf.inside()[k] / (double) tf.count();
        }

        // the point forecast: the mean-fed rollout
        float[] point = meanFed(model, data);
        double[][] se = new double[steps][P];
        double[][] ae = new double[steps][P];
        double[][] truthLast = new double[n][P];
        double[][] predLast = new double[n][P];
        for (int p = 0; p < n; p++) {
            for (int t = 1; t < steps; t++) {
                for (int k = 0; k < P; k++) {
                    double d = point[(p * steps + t) * P + k] - data.phase(p, t, k);
                    se[t][k] += d * d;
                    ae[t][k] += Math.abs(d);
                }
            }
            for (int k = 0; k < P; k++) {
                truthLast[p][k] = data.phase(p, steps - 1, k);
                predLast[p][k] = point[(p * steps + steps - 1) * P + k];
            }
        }
        double[][] rmse = new double[steps][P];
        double[][] mae = new double[steps][P];
        double[] rmsePhase = new double[P];
        double[] maePhase = new double[P];
        for (int k = 0; k < P; k++) {
            double seAll = 0;
            double aeAll = 0;
            for (int t = 1; t < steps; t++) {
                rmse[t][k] = Math.sqrt(se[t][k] / n);
                mae[t][k] = ae[t][k] / n;
                seAll += se[t][k];
                aeAll += ae[t][k];
            }
            rmsePhase[k] = Math.sqrt(seAll / ((double) n * (steps - 1)));
            maePhase[k] = aeAll / ((double) n * (steps - 1));
        }
        // the Monte-Carlo rollouts: bands and their mean
        MonteCarlo mc = monteCarlo(model, data, rollouts, seed, model.calibration().scaleAsFloats());
        double[] sampleMeanRmse = new double[P];
        for (int k = 0; k < P; k++) {
            double sum = 0;
            for (int p = 0; p < n; p++) {
                double d = mc.lastMean()[p][k] - truthLast[p][k];
                sum += d * d;
            }
            sampleMeanRmse[k] = Math.sqrt(sum / n);
        }
        return new NadeEvaluation(n, steps, rollouts, seed, meanNll, nllSe, oneStep, mc.coverage(), rmse, mae,
                rmsePhase, maePhase, lastStep(truthLast, predLast), sampleMeanRmse,
                model.calibration().varianceScale());
    }

    /** The mean-fed rollout of every profile from its Z_0: flat [profile][step][phase] like {@code data.phases()}. */
    static float[] meanFed(NadeModel model, ProfileArrays data) {
        int n = data.profileCount();
        int steps = data.steps();
        float[] out = new float[n * steps * P];
        for (int from = 0; from < n; from += NadeModel.CHUNK_ROWS) {
            int rows = Math.min(NadeModel.CHUNK_ROWS, n - from);
            NadeRollout rollout = model.newRollout(rows);
            float[] z = new float[rows * P];
            float[] x = new float[rows * C];
            for (int i = 0; i < rows; i++) {
                System.arraycopy(data.phases(), ((from + i) * steps) * P, z, i * P, P);
                System.arraycopy(z, i * P, out, ((from + i) * steps) * P, P);
            }
            for (int t = 0; t < steps - 1; t++) {
                for (int i = 0; i < rows; i++) {
                    System.arraycopy(data.conditions(), ((from + i) * steps + t) * C, x, i * C, C);
                }
                z = rollout.step(z, x).meanFlat();
                for (int i = 0; i < rows; i++) {
                    System.arraycopy(z, i * P, out, ((from + i) * steps + t + 1) * P, P);
                }
            }
        }
        return out;
    }

    /**
     * @param coverage per phase, share of true Z_t (steps 1 … n−1) inside the rollouts' p5 … p95
     * @param lastMean the rollouts' mean at the last step, [profile][phase]
     */
    record MonteCarlo(double[] coverage, double[][] lastMean) {
    }

    /** Monte-Carlo rollouts of every profile from its Z_0, drawing with variance × {@code scale}. */
    static MonteCarlo monteCarlo(NadeModel model, ProfileArrays data, int rollouts, long seed, float[] scale) {
        int n = data.profileCount();
        int steps = data.steps();
        long[] inBand = new long[P];
        double[][] lastMean = new double[n][P];
        SplittableRandom rng = new SplittableRandom(seed);
        int perChunk = Math.max(1, NadeModel.CHUNK_ROWS / rollouts);
        float[] values = new float[rollouts];
        for (int from = 0; from < n; from += perChunk) {
            int count = Math.min(perChunk, n - from);
            int rows = count * rollouts;
            float[][] samples = new float[steps][];
            float[] z = new float[rows * P];
            float[] x = new float[rows * C];
            for (int i = 0; i < count; i++) {
                for (int j = 0; j < rollouts; j++) {
                    System.arraycopy(data.phases(), ((from + i) * steps) * P, z, (i * rollouts + j) * P, P);
                }
            }
            samples[0] = z;
            NadeRollout rollout = new NadeRollout(model.weights(), rows, scale);
            for (int t = 0; t < steps - 1; t++) {
                for (int i = 0; i < count; i++) {
                    for (int j = 0; j < rollouts; j++) {
                        System.arraycopy(data.conditions(), ((from + i) * steps + t) * C, x, (i * rollouts + j) * C, C);
                    }
                }
                z = rollout.sample(rollout.step(z, x), rng);
                samples[t + 1] = z;
            }
            for (int i = 0; i < count; i++) {
                int p = from + i;
                for (int t = 1; t < steps; t++) {
                    for (int k = 0; k < P; k++) {
                        double sum = 0;
                        for (int j = 0; j < rollouts; j++) {
                            values[j] = samples[t][(i * rollouts + j) * P + k];
                            sum += values[j];
                        }
                        java.util.Arrays.sort(values);
                        double truth = data.phase(p, t, k);
                        if (truth >= NadeModel.quantile(values, 0.05) - 1e-7
                                && truth <= NadeModel.quantile(values, 0.95) + 1e-7) {
                            inBand[k]++;
                        }
                        if (t == steps - 1) {
                            lastMean[p][k] = sum / rollouts;
                        }
                    }
                }
            }
        }
        double[] coverage = new double[P];
        for (int k = 0; k < P; k++) {
            coverage[k] = inBand[k] / ((double) n * (steps - 1));
        }
        return new MonteCarlo(coverage, lastMean);
    }

    /** Largest and smallest variance factor calibration may fit. */
    static final double MAX_SCALE = 400;
    static final double MIN_SCALE = 0.01;
    /** Calibration stops when the phases' average coverage is this close to 0.90. */
    static final double COVERAGE_TOLERANCE = 0.003;
    static final int MAX_ITERATIONS = 8;

    /**
     * Fits one variance factor (the same for the three phases) so that the p5–p95 bands of
     * Monte-Carlo rollouts cover 90 % of the true Z_t of (the first {@code maxProfiles} of)
     * {@code validation}, averaged over the phases. One factor because the sampler draws the two
     * minor phases of each row and the dominant one is their remainder, so a phase's own factor
     * does not act on the rows where it dominates. Each iteration runs the rollouts with the same
     * seed (common random numbers: coverage moves only with the factor) and solves
     * g(log factor) = z(0.95), g = z((1 + coverage) / 2) the coverage on the normal-quantile
     * scale: the first step as if the band were Gaussian (sd times z(0.95) / g), then secant
     * steps, each at most a factor 16. Keeps the factor whose coverage is closest to 0.90.
     */
    static NadeCalibration calibrate(NadeModel model, ProfileArrays validation, int rollouts, long seed,
            int maxProfiles) {
        if (rollouts < 2 || maxProfiles < 1) {
            throw new IllegalArgumentException("calibration needs rollouts >= 2 and maxProfiles >= 1");
        }
        int n = Math.min(maxProfiles, validation.profileCount());
        if (n < 1 || validation.steps() < 2) {
            throw new IllegalArgumentException("nothing to calibrate on");
        }
        ProfileArrays data = n == validation.profileCount() ? validation : firstProfiles(validation, n);
        double logScale = 0;
        double[] before = monteCarlo(model, data, rollouts, seed, factors(logScale)).coverage();
        double[] coverage = before;
        double best = logScale;
        double[] bestCoverage = before;
        double previousLog = Double.NaN;
        double previousG = Double.NaN;
        int iterations = 0;
        double maxStep = Math.log(16);
        while (gap(coverage) > COVERAGE_TOLERANCE && iterations < MAX_ITERATIONS) {
            double g = inverseNormal((1 + Math.min(0.999, Math.max(0.2, average(coverage)))) / 2);
            double step = 2 * Math.log(Z90 / g);
            if (!Double.isNaN(previousLog) && Math.abs(logScale - previousLog) > 1e-9) {
                double slope = (g - previousG) / (logScale - previousLog);
                if (slope > 1e-3) {
                    step = (Z90 - g) / slope;
                }
            }
            step = Math.max(-maxStep, Math.min(maxStep, step));
            previousLog = logScale;
            previousG = g;
            logScale = Math.max(Math.log(MIN_SCALE), Math.min(Math.log(MAX_SCALE), logScale + step));
            coverage = monteCarlo(model, data, rollouts, seed, factors(logScale)).coverage();
            iterations++;
            if (gap(coverage) < gap(bestCoverage)) {
                best = logScale;
                bestCoverage = coverage;
            }
        }
        double factor = Math.exp(best);
        return new NadeCalibration(new double[] {factor, factor, factor}, before, bestCoverage, n, rollouts, seed,
                iterations);
    }

    private static double average(double[] coverage) {
        return (coverage[0] + coverage[1] + coverage[2]) / 3;
    }

    /** How far the phases' average coverage is from 0.90. */
    private static double gap(double[] coverage) {
        return Math.abs(average(coverage) - 0.9);
    }

    private static float[] factors(double logScale) {
        float f = (float) Math.exp(logScale);
        return new float[] {f, f, f};
    }

    static ProfileArrays firstProfiles(ProfileArrays data, int n) {
        int s = data.steps();
        return new ProfileArrays(data.externalIds().subList(0, n), s,
                java.util.Arrays.copyOf(data.conditions(), n * s * C), java.util.Arrays.copyOf(data.phases(), n * s * P));
    }

    /** Inverse of the standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9). */
    static double inverseNormal(double p) {
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("p must be in (0, 1)");
        }
        double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
            1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
        double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
            6.680131188771972e+01, -1.328068155288572e+01};
        double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
            -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
        double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
        double low = 0.02425;
        if (p < low) {
            double q = Math.sqrt(-2 * Math.log(p));
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        if (p > 1 - low) {
            return -inverseNormal(1 - p);
        }
        double q = p - 0.5;
        double r = q * q;
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    }

    static NadeEvaluation.LastStep lastStep(double[][] truth, double[][] predicted) {
        int n = truth.length;
        double[] mean = new double[P];
        double[] std = new double[P];
        double[] max = new double[P];
        double[] rmse = new double[P];
        double[] mae = new double[P];
        for (int k = 0; k < P; k++) {
            double sum = 0;
            double sumSq = 0;
            for (int p = 0; p < n; p++) {
                double d = predicted[p][k] - truth[p][k];
                sum += d;
                sumSq += d * d;
                max[k] = Math.max(max[k], Math.abs(d));
                mae[k] += Math.abs(d) / n;
            }
            mean[k] = sum / n;
            rmse[k] = Math.sqrt(sumSq / n);
            std[k] = n > 1 ? Math.sqrt(Math.max(0, (sumSq - n * mean[k] * mean[k]) / (n - 1))) : 0;
        }
        return new NadeEvaluation.LastStep(truth, predicted, mean, std, max, rmse, mae);
    }
}
