package org.cvdplanner.agent;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The policy and value network in plain Java on ND4J gemms (no DL4J graph): features (LSTM h and
 * c, the current phases, the current conditions, the step and the temperature-hold flag) → 72 →
 * 24 (ReLU) → 5 pre-activations o; the action mean μ = tanh(o[0..3]) is a target in [−1, 1] of
 * each condition's bounds (so it cannot leave the reachable range), V = o[4]. A separate
 * initial-condition head θ0 (4 numbers) gives X_0's mean tanh(θ0). All parameters live in one
 * flat array (Adam and checkpoints work on it).
 *
 * <p>Actions are drawn from N(μ, σ²) and clipped to [−1, 1]: the clipped Gaussian is a censored
 * distribution, so the log-probability of an action on the bound is log P(u ≥ 1) (or ≤ −1), the
 * probability of the action actually applied. Its gradient never vanishes as the raw Gaussian's
 * does when every sample clips to the same value.
 */
final class PolicyNet {

    static final int H = 128;
    static final int FEATURES = 2 * H + 3 + 4 + 2;
    static final int H1 = 72;
    static final int H2 = 24;
    static final int OUT = 5;
    static final int A = 4;

    static final int W1 = 0;
    static final int B1 = W1 + FEATURES * H1;
    static final int W2 = B1 + H1;
    static final int B2 = W2 + H1 * H2;
    static final int W3 = B2 + H2;
    static final int B3 = W3 + H2 * OUT;
    static final int X0 = B3 + OUT;
    static final int SIZE = X0 + A;

    /**
     * Weight on the squared excess of a μ pre-activation beyond ±{@link #PRE_ACTIVATION_FREE}:
     * keeps tanh out of its flat tails (where its gradient vanishes and the policy would freeze)
     * without touching means inside (−0.995, 0.995).
     */
    static final double PRE_ACTIVATION_PENALTY = 0.1;
    static final double PRE_ACTIVATION_FREE = 3.0;
    private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

    final float[] p;

    PolicyNet(float[] parameters) {
        if (parameters.length != SIZE) {
            throw new IllegalArgumentException("expected " + SIZE + " parameters, got " + parameters.length);
        }
        this.p = parameters;
    }

    /** He-initialised hidden layers, small μ head (μ ≈ 0 at the start), θ0 = 0 (X_0 mid-range). */
    static PolicyNet initial(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] p = new float[SIZE];
        fill(p, W1, FEATURES * H1, Math.sqrt(2.0 / FEATURES), rng);
        fill(p, W2, H1 * H2, Math.sqrt(2.0 / H1), rng);
        fill(p, W3, H2 * OUT, 0.1 * Math.sqrt(1.0 / H2), rng);
        return new PolicyNet(p);
    }

    private static void fill(float[] p, int from, int count, double std, SplittableRandom rng) {
        for (int i = 0; i < count; i++) {
            p[from + i] = (float) (std * rng.nextGaussian());
        }
    }

    PolicyNet copy() {
        return new PolicyNet(p.clone());
    }

    /** The activations of a forward pass over {@code rows} feature rows. */
    record Activations(int rows, float[] a1, float[] a2, float[] o) {

        double mean(int r, int c) {
            return Math.tanh(o[r * OUT + c]);
        }

        double value(int r) {
            return o[r * OUT + A];
        }
    }

    Activations forward(float[] features, int rows, Gemm gemm) {
        float[] a1 = dense(gemm, features, rows, FEATURES, W1, B1, H1, true);
        float[] a2 = dense(gemm, a1, rows, H1, W2, B2, H2, true);
        float[] o = dense(Gemm.JAVA, a2, rows, H2, W3, B3, OUT, false);
        return new Activations(rows, a1, a2, o);
    }

    private float[] dense(Gemm gemm, float[] in, int rows, int width, int w, int b, int out, boolean relu) {
        float[] y = gemm.multiply(in, rows, width, false, Arrays.copyOfRange(p, w, w + width * out), out, false);
        for (int i = 0; i < rows; i++) {
            int o = i * out;
            for (int j = 0; j < out; j++) {
                float v = y[o + j] + p[b + j];
                y[o + j] = relu && v < 0f ? 0f : v;
            }
        }
        return y;
    }

    /** The initial-condition head's mean of X_0 component c, in [−1, 1] units. */
    double initialMean(int c) {
        return Math.tanh(p[X0 + c]);
    }

    /** A censored-Gaussian draw: μ + σε clipped to [−1, 1]. */
    static double sample(double mean, double sigma, SplittableRandom rng) {
        return Math.max(-1, Math.min(1, mean + sigma * rng.nextGaussian()));
    }

    /** log π(u | μ, σ) of the censored Gaussian on [−1, 1]. */
    static double logProbability(double u, double mean, double sigma) {
        if (u >= 1) {
            return logUpperTail((1 - mean) / sigma);
        }
        if (u <= -1) {
            return logUpperTail((1 + mean) / sigma);
        }
        double d = (u - mean) / sigma;
        return -0.5 * d * d - Math.log(sigma) - LOG_SQRT_2PI;
    }

    /** ∂ log π(u | μ, σ) / ∂μ. */
    static double logProbabilityGradient(double u, double mean, double sigma) {
        if (u >= 1) {
            return millsRatio((1 - mean) / sigma) / sigma;
        }
        if (u <= -1) {
            return -millsRatio((1 + mean) / sigma) / sigma;
        }
        return (u - mean) / (sigma * sigma);
    }

    /** log Q(k) = log P(N(0,1) ≥ k). */
    static double logUpperTail(double k) {
        return Math.log(0.5) + logErfc(k / Math.sqrt(2));
    }

    /** φ(k) / Q(k), computed in log space (stable far in the tail). */
    static double millsRatio(double k) {
        return Math.exp(-0.5 * k * k - LOG_SQRT_2PI - logUpperTail(k));
    }

    /** log erfc(x), relative error of erfc below 1.2e-7 (Chebyshev fit, Numerical Recipes' erfcc). */
    static double logErfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double poly = -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
                + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
        if (x >= 0) {
            return Math.log(t) + poly;
        }
        return Math.log(2 - t * Math.exp(poly));
    }

    /**
     * The batch of an update: {@code rows} (state, action) rows and {@code episodes} initial
     * conditions.
     *
     * @param features rows × FEATURES
     * @param actions rows × 4, the applied (clipped) actions in [−1, 1]
     * @param advantages rows
     * @param returns rows
     * @param initialActions episodes × 4, the applied X_0 in [−1, 1] units, or null when X_0 is not learned
     * @param episodeAdvantages episodes
     * @param free which of the 4 conditions the policy controls (fixed ones carry no log-probability)
     * @param cached the rollout's own forward pass over these rows with the current parameters, or
     *     null to recompute it (the update then skips its own forward pass)
     */
    record Batch(float[] features, float[] actions, float[] advantages, float[] returns, int rows,
            float[] initialActions, float[] episodeAdvantages, int episodes, boolean[] free, Activations cached) {

        Batch(float[] features, float[] actions, float[] advantages, float[] returns, int rows, float[] initialActions,
                float[] episodeAdvantages, int episodes, boolean[] free) {
            this(features, actions, advantages, returns, rows, initialActions, episodeAdvantages, episodes, free, null);
        }
    }

    /** Loss parts of one evaluation. */
    record Loss(double policy, double value, double initial) {
        double total() {
            return policy + value + initial;
        }
    }

    /**
     * The loss (1/N)Σ[−A·Σ_c log π(u|μ) + w·smoothL1(V − G) + λ·Σ_c max(0, |o| − 3)²] + (1/E)Σ[−A_e·Σ_c log π(u0|tanh θ0)]
     * and, when {@code gradient} is not null, its gradient with respect to every parameter
     * (written into {@code gradient}).
     */
    Loss loss(Batch batch, double sigma, double valueWeight, Gemm gemm, float[] gradient) {
        int n = batch.rows();
        Activations act = batch.cached() != null ? batch.cached() : forward(batch.features(), n, gemm);
        float[] dO = new float[n * OUT];
        double policy = 0;
        double value = 0;
        double inv = 1.0 / n;
        for (int r = 0; r < n; r++) {
            double adv = batch.advantages()[r];
            for (int c = 0; c < A; c++) {
                double o = act.o()[r * OUT + c];
                double mu = Math.tanh(o);
                double excess = Math.max(0, Math.abs(o) - PRE_ACTIVATION_FREE);
                double penalty = PRE_ACTIVATION_PENALTY * excess * excess;
                double dPenalty = 2 * PRE_ACTIVATION_PENALTY * excess * Math.signum(o);
                policy += penalty * inv;
                double d = dPenalty;
                if (batch.free()[c]) {
                    double u = batch.actions()[r * A + c];
                    policy -= adv * logProbability(u, mu, sigma) * inv;
                    d -= adv * logProbabilityGradient(u, mu, sigma) * (1 - mu * mu);
                }
                dO[r * OUT + c] = (float) (d * inv);
            }
            double diff = act.o()[r * OUT + A] - batch.returns()[r];
            double ad = Math.abs(diff);
            value += valueWeight * (ad < 1 ? 0.5 * diff * diff : ad - 0.5) * inv;
            dO[r * OUT + A] = (float) (valueWeight * (ad < 1 ? diff : Math.signum(diff)) * inv);
        }
        double initial = 0;
        float[] dX0 = new float[A];
        if (batch.initialActions() != null) {
            double invE = 1.0 / batch.episodes();
            for (int e = 0; e < batch.episodes(); e++) {
                double adv = batch.episodeAdvantages()[e];
                for (int c = 0; c < A; c++) {
                    if (!batch.free()[c]) {
                        continue;
                    }
                    double mu = Math.tanh(p[X0 + c]);
                    double u = batch.initialActions()[e * A + c];
                    initial -= adv * logProbability(u, mu, sigma) * invE;
                    dX0[c] -= (float) (adv * logProbabilityGradient(u, mu, sigma) * (1 - mu * mu) * invE);
                }
            }
        }
        if (gradient != null) {
            backward(batch.features(), n, act, dO, gemm, gradient);
            System.arraycopy(dX0, 0, gradient, X0, A);
        }
        return new Loss(policy, value, initial);
    }

    private void backward(float[] x, int n, Activations act, float[] dO, Gemm gemm, float[] g) {
        Arrays.fill(g, 0f);
        // head: dW3 = a2ᵀ dO, db3 = Σ dO, da2 = dO W3ᵀ ⊙ relu'
        put(g, W3, Gemm.JAVA.multiply(act.a2(), H2, n, true, dO, OUT, false));
        columnSums(dO, n, OUT, g, B3);
        float[] da2 = Gemm.JAVA.multiply(dO, n, OUT, false, Arrays.copyOfRange(p, W3, W3 + H2 * OUT), H2, true);
        reluGrad(da2, act.a2());
        put(g, W2, gemm.multiply(act.a1(), H1, n, true, da2, H2, false));
        columnSums(da2, n, H2, g, B2);
        float[] da1 = gemm.multiply(da2, n, H2, false, Arrays.copyOfRange(p, W2, W2 + H1 * H2), H1, true);
        reluGrad(da1, act.a1());
        put(g, W1, gemm.multiply(x, FEATURES, n, true, da1, H1, false));
        columnSums(da1, n, H1, g, B1);
    }

    private static void put(float[] g, int offset, float[] values) {
        System.arraycopy(values, 0, g, offset, values.length);
    }

    private static void columnSums(float[] m, int rows, int cols, float[] g, int offset) {
        double[] s = new double[cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                s[j] += m[i * cols + j];
            }
        }
        for (int j = 0; j < cols; j++) {
            g[offset + j] = (float) s[j];
        }
    }

    private static void reluGrad(float[] d, float[] activation) {
        for (int i = 0; i < d.length; i++) {
            if (activation[i] <= 0f) {
                d[i] = 0f;
            }
        }
    }
}
