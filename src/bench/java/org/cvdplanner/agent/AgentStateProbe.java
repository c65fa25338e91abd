package org.cvdplanner.agent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.cvdplanner.nade.NadeModel;
import org.cvdplanner.nade.NadeRollout;
import org.cvdplanner.nade.StepOutput;
import org.cvdplanner.synthesis.Schedule;

/**
 * Does the agent's state (the NADE LSTM hidden state h_t after [Z_t, X_t]) tell the policy where
 * it is? A ridge-regularised linear probe h_t → T_t, fitted on 80 % of the (episode, step) rows
 * of 2,000 random walks rolled out through the model and scored on the other 20 %.
 *
 * <pre>
 * OMP_NUM_THREADS=1 ./mvnw -B -q -Pbench test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.cvdplanner.agent.AgentStateProbe -Dexec.args="NADE_PATH"
 * </pre>
 * (NADE_PATH as written by {@link AgentEvaluation}, with its SHA-256 in NADE_PATH.sha.)
 */
public final class AgentStateProbe {

    private AgentStateProbe() {
    }

    public static void main(String[] args) throws Exception {
        NadeModel nade = NadeModel.fromBytes(Files.readAllBytes(Path.of(args[0])),
                Files.readString(Path.of(args[0] + ".sha")).trim());
        int n = 2000;
        int d = 129;
        List<Schedule> walks = Baselines.randomWalks(AgentHyperParameters.defaults(), n, 3);
        NadeRollout rollout = nade.newRollout(n);
        float[] z = rollout.initialPhases();
        double[][] xtx = new double[d][d];
        double[] xty = new double[d];
        java.util.List<double[]> heldOut = new java.util.ArrayList<>();
        java.util.List<Double> heldOutT = new java.util.ArrayList<>();
        SplittableRandom split = new SplittableRandom(1);
        for (int t = 0; t < nade.steps() - 1; t++) {
            float[] x = new float[n * 4];
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < 4; c++) {
                    x[i * 4 + c] = (float) walks.get(i).at(t).get(c);
                }
            }
            StepOutput out = rollout.step(z, x);
            z = out.meanFlat();
            float[] h = out.hiddenFlat();
            for (int i = 0; i < n; i++) {
                double[] f = new double[d];
                for (int j = 0; j < 128; j++) {
                    f[j] = h[i * 128 + j];
                }
                f[128] = 1;
                double y = x[i * 4];
                if (split.nextInt(5) == 0) {
                    heldOut.add(f);
                    heldOutT.add(y);
                    continue;
                }
                for (int p = 0; p < d; p++) {
                    xty[p] += f[p] * y;
                    for (int q = 0; q < d; q++) {
                        xtx[p][q] += f[p] * f[q];
                    }
                }
            }
        }
        for (int p = 0; p < d; p++) {
            xtx[p][p] += 1e-3;
        }
        double[] w = solve(xtx, xty);
        double mean = heldOutT.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double squares = 0;
        double variance = 0;
        for (int i = 0; i < heldOut.size(); i++) {
            double predicted = 0;
            for (int p = 0; p < d; p++) {
                predicted += w[p] * heldOut.get(i)[p];
            }
            squares += (predicted - heldOutT.get(i)) * (predicted - heldOutT.get(i));
            variance += (heldOutT.get(i) - mean) * (heldOutT.get(i) - mean);
        }
        System.out.printf(Locale.ROOT, "linear probe h_t -> T_t on %d held-out rows: R^2 %.4f, RMSE %.1f K%n",
                heldOut.size(), 1 - squares / variance, Math.sqrt(squares / heldOut.size()));
    }

    /** Gaussian elimination with partial pivoting. */
    private static double[] solve(double[][] a, double[] b) {
        int n = b.length;
        double[][] m = new double[n][n + 1];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, m[i], 0, n);
            m[i][n] = b[i];
        }
        for (int c = 0; c < n; c++) {
            int pivot = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) {
                    pivot = r;
                }
            }
            double[] tmp = m[c];
            m[c] = m[pivot];
            m[pivot] = tmp;
            for (int r = 0; r < n; r++) {
                if (r != c) {
                    double f = m[r][c] / m[c][c];
                    for (int k = c; k <= n; k++) {
                        m[r][k] -= f * m[c][k];
                    }
                }
            }
        }
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = m[i][n] / m[i][i];
        }
        return x;
    }
}
