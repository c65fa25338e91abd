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

        double[][] se = new double[steps][P];
        double[][] ae = new double[steps][P];
        long[] inBand = new long[P];
        double[][] truthLast = new double[n][P];
        double[][] predLast = new double[n][P];
        SplittableRandom rng = new SplittableRandom(seed);
        int perChunk = Math.max(1, NadeModel.CHUNK_ROWS / rollouts);
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
            NadeRollout rollout = model.newRollout(rows);
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
                TrajectoryForecast f = NadeModel.summarise(samples, i * rollouts, rollouts);
                for (int t = 1; t < steps; t++) {
                    for (int k = 0; k < P; k++) {
                        double truth = data.phase(p, t, k);
                        double d = f.mean()[t][k] - truth;
                        se[t][k] += d * d;
                        ae[t][k] += Math.abs(d);
                        if (truth >= f.p5()[t][k] - 1e-7 && truth <= f.p95()[t][k] + 1e-7) {
                            inBand[k]++;
                        }
                    }
                }
                for (int k = 0; k < P; k++) {
                    truthLast[p][k] = data.phase(p, steps - 1, k);
                    predLast[p][k] = f.mean()[steps - 1][k];
                }
            }
        }
        double[][] rmse = new double[steps][P];
        double[][] mae = new double[steps][P];
        double[] rmsePhase = new double[P];
        double[] maePhase = new double[P];
        double[] band = new double[P];
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
            band[k] = inBand[k] / ((double) n * (steps - 1));
        }
        return new NadeEvaluation(n, steps, rollouts, seed, meanNll, nllSe, oneStep, band, rmse, mae, rmsePhase,
                maePhase, lastStep(truthLast, predLast), meanFedLastStepRmse(model, data));
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

    /** RMSE per phase at the last step of the deterministic mean-fed trajectory. */
    static double[] meanFedLastStepRmse(NadeModel model, ProfileArrays data) {
        int n = data.profileCount();
        int steps = data.steps();
        double[] se = new double[P];
        for (int from = 0; from < n; from += NadeModel.CHUNK_ROWS) {
            int rows = Math.min(NadeModel.CHUNK_ROWS, n - from);
            NadeRollout rollout = model.newRollout(rows);
            float[] z = new float[rows * P];
            float[] x = new float[rows * C];
            for (int i = 0; i < rows; i++) {
                System.arraycopy(data.phases(), ((from + i) * steps) * P, z, i * P, P);
            }
            for (int t = 0; t < steps - 1; t++) {
                for (int i = 0; i < rows; i++) {
                    System.arraycopy(data.conditions(), ((from + i) * steps + t) * C, x, i * C, C);
                }
                z = rollout.step(z, x).meanFlat();
            }
            for (int i = 0; i < rows; i++) {
                for (int k = 0; k < P; k++) {
                    double d = z[i * P + k] - data.phase(from + i, steps - 1, k);
                    se[k] += d * d;
                }
            }
        }
        double[] rmse = new double[P];
        for (int k = 0; k < P; k++) {
            rmse[k] = Math.sqrt(se[k] / n);
        }
        return rmse;
    }
}
