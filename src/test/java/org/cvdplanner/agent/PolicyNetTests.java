package org.cvdplanner.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * The plain-Java policy: its fused backward pass against finite differences, the ND4J gemm path
 * against plain Java, the censored log-probability, a bounded action mean, and learning a sparse
 * reward that only a narrow window of the action space pays.
 */
class PolicyNetTests {

    private static PolicyNet.Batch randomBatch(int rows, int episodes, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] f = new float[rows * PolicyNet.FEATURES];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) rng.nextGaussian();
        }
        float[] a = new float[rows * 4];
        for (int i = 0; i < a.length; i++) {
            // a quarter of the actions sit on the bounds (censored), the rest inside
            a[i] = (float) (i % 4 == 0 ? (rng.nextBoolean() ? 1 : -1) : rng.nextDouble(-0.95, 0.95));
        }
        float[] adv = new float[rows];
        float[] ret = new float[rows];
        for (int r = 0; r < rows; r++) {
            adv[r] = (float) rng.nextGaussian();
            ret[r] = (float) (3 * rng.nextGaussian());
        }
        float[] a0 = new float[episodes * 4];
        float[] adv0 = new float[episodes];
        for (int e = 0; e < episodes; e++) {
            adv0[e] = (float) rng.nextGaussian();
            for (int c = 0; c < 4; c++) {
                a0[e * 4 + c] = (float) (c == 1 ? -1 : rng.nextDouble(-0.9, 0.9));
            }
        }
        return new PolicyNet.Batch(f, a, adv, ret, rows, a0, adv0, episodes, new boolean[] {true, true, false, true});
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        PolicyNet net = PolicyNet.initial(3);
        SplittableRandom rng = new SplittableRandom(4);
        for (int i = 0; i < net.p.length; i++) {
            net.p[i] += (float) (0.2 * rng.nextGaussian()); // away from the near-zero μ head of the start
        }
        PolicyNet.Batch batch = randomBatch(12, 5, 5);
        float[] g = new float[PolicyNet.SIZE];
        net.loss(batch, 0.4, 0.5, Gemm.JAVA, g);
        int[] probes = new int[200];
        for (int k = 0; k < probes.length; k++) {
            // sample every block: W1, b1, W2, b2, W3, b3, θ0
            int[] starts = {PolicyNet.W1, PolicyNet.B1, PolicyNet.W2, PolicyNet.B2, PolicyNet.W3, PolicyNet.B3,
                    PolicyNet.X0, PolicyNet.SIZE};
            int block = k % 7;
            probes[k] = starts[block] + rng.nextInt(starts[block + 1] - starts[block]);
        }
        int checked = 0;
        int kinks = 0;
        for (int i : probes) {
            double eps = 3e-3;
            if (crossesKink(net, batch, i, eps)) {
                kinks++; // a ReLU input within eps of 0: finite differences straddle the kink
                continue;
            }
            double numeric = numeric(net, batch, i, eps);
            assertThat(g[i]).as("parameter %d", i).isCloseTo((float) numeric,
                    org.assertj.core.data.Offset.offset((float) (1e-3 + 1e-2 * Math.abs(numeric))));
            if (Math.abs(numeric) > 1e-3) {
                checked++;
            }
        }
        assertThat(kinks).as("probes skipped at ReLU kinks").isLessThan(30);
        assertThat(checked).as("probes with a non-trivial gradient").isGreaterThan(100);
        // the fixed gas (column 2) carries no log-probability: θ0 of H2 has zero gradient
        assertThat(g[PolicyNet.X0 + 2]).isZero();
    }

    /** Whether moving parameter i by ±eps flips any ReLU of the batch. */
    private static boolean crossesKink(PolicyNet net, PolicyNet.Batch batch, int i, double eps) {
        float saved = net.p[i];
        PolicyNet.Activations mid = net.forward(batch.features(), batch.rows(), Gemm.JAVA);
        boolean crossed = false;
        for (double d : new double[] {eps, -eps}) {
            net.p[i] = (float) (saved + d);
            PolicyNet.Activations a = net.forward(batch.features(), batch.rows(), Gemm.JAVA);
            for (int k = 0; k < a.a1().length; k++) {
                crossed |= (a.a1()[k] > 0) != (mid.a1()[k] > 0);
            }
            for (int k = 0; k < a.a2().length; k++) {
                crossed |= (a.a2()[k] > 0) != (mid.a2()[k] > 0);
            }
        }
        net.p[i] = saved;
        return crossed;
    }

    private static double numeric(PolicyNet net, PolicyNet.Batch batch, int i, double eps) {
        float saved = net.p[i];
        net.p[i] = (float) (saved + eps);
        double up = net.loss(batch, 0.4, 0.5, Gemm.JAVA, null).total();
        net.p[i] = (float) (saved - eps);
        double down = net.loss(batch, 0.4, 0.5, Gemm.JAVA, null).total();
        net.p[i] = saved;
        return (up - down) / (2 * eps);
    }

    @Test
    void nd4jGemmPathEqualsPlainJava() {
        PolicyNet net = PolicyNet.initial(7);
        PolicyNet.Batch batch = randomBatch(40, 8, 9);
        float[] gj = new float[PolicyNet.SIZE];
        float[] gn = new float[PolicyNet.SIZE];
        double lj = net.loss(batch, 0.3, 0.5, Gemm.JAVA, gj).total();
        double ln = net.loss(batch, 0.3, 0.5, Gemm.ND4J, gn).total();
        assertThat(ln).isCloseTo(lj, org.assertj.core.data.Offset.offset(1e-4 * Math.abs(lj) + 1e-6));
        for (int i = 0; i < gj.length; i++) {
            assertThat(gn[i]).as("gradient %d", i).isCloseTo(gj[i], org.assertj.core.data.Offset.offset(1e-4f + 1e-3f * Math.abs(gj[i])));
        }
    }

    @Test
    void censoredLogProbabilityIsTheProbabilityMassOnTheBound() {
        // P(μ + σε ≥ 1) for μ = 0.5, σ = 0.5 is Q(1) = 0.158655
        assertThat(Math.exp(PolicyNet.logProbability(1, 0.5, 0.5))).isCloseTo(0.158655, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(Math.exp(PolicyNet.logProbability(-1, 0.5, 0.5))).isCloseTo(0.0013499, org.assertj.core.data.Offset.offset(1e-6));
        // far in the tail it stays finite, and its gradient pulls μ towards the bound
        assertThat(PolicyNet.logProbability(-1, 0.99, 0.05)).isFinite().isLessThan(-100);
        assertThat(PolicyNet.logProbabilityGradient(-1, 0.99, 0.05)).isFinite().isLessThan(0);
        // numerical derivative of the censored branch
        double h = 1e-5;
        double numeric = (PolicyNet.logProbability(1, 0.3 + h, 0.2) - PolicyNet.logProbability(1, 0.3 - h, 0.2)) / (2 * h);
        assertThat(PolicyNet.logProbabilityGradient(1, 0.3, 0.2)).isCloseTo(numeric, org.assertj.core.data.Offset.offset(1e-4));
    }

    /**
     * A toy episode of {@code steps} choices of a temperature target u ∈ [−1, 1]: the features
     * carry the step and the last target; the reward comes only at the end and only when the last
     * two targets lie in the window [lo, hi] (width 0.15 of the range of 2: sparse).
     */
    private static double[] runToy(PolicyNet net, PolicyLearner learner, int batches, int rows, double sigma0,
            double sigmaEnd, double lo, double hi, long seed) {
        int steps = 6;
        int n = rows * steps;
        double hits = 0;
        int informative = 0;
        SplittableRandom rng = new SplittableRandom(seed);
        double lastHitRate = 0;
        for (int k = 0; k < batches; k++) {
            double sigma = sigma0 * Math.pow(sigmaEnd / sigma0, informative / (double) batches);
            float[] f = new float[n * PolicyNet.FEATURES];
            float[] a = new float[n * 4];
            float[] ret = new float[n];
            float[] adv = new float[n];
            double[] last = new double[rows];
            double[] prev = new double[rows];
            for (int t = 0; t < steps; t++) {
                float[] step = new float[rows * PolicyNet.FEATURES];
                for (int r = 0; r < rows; r++) {
                    step[r * PolicyNet.FEATURES + 2 * PolicyNet.H + 7] = t / (float) (steps - 1);
                    step[r * PolicyNet.FEATURES + 2 * PolicyNet.H + 3] = (float) last[r];
                    step[r * PolicyNet.FEATURES + 5] = 1f; // a constant input unit
                }
                PolicyNet.Activations act = net.forward(step, rows, Gemm.JAVA);
                for (int r = 0; r < rows; r++) {
                    int row = r * steps + t;
                    System.arraycopy(step, r * PolicyNet.FEATURES, f, row * PolicyNet.FEATURES, PolicyNet.FEATURES);
                    for (int c = 0; c < 4; c++) {
                        double u = PolicyNet.sample(act.mean(r, c), sigma, rng);
                        a[row * 4 + c] = (float) u;
                        if (c == 0) {
                            prev[r] = last[r];
                            last[r] = u;
                        }
                    }
                    adv[row] = (float) -act.value(r);
                }
            }
            int batchHits = 0;
            for (int r = 0; r < rows; r++) {
                boolean hit = last[r] >= lo && last[r] <= hi && prev[r] >= lo && prev[r] <= hi;
                batchHits += hit ? 1 : 0;
                for (int t = 0; t < steps; t++) {
                    float g = (float) (hit ? Math.pow(0.99, steps - 1 - t) : 0);
                    ret[r * steps + t] = g;
                    adv[r * steps + t] += g;
                }
            }
            hits += batchHits;
            lastHitRate = batchHits / (double) rows;
            if (batchHits > 0) {
                informative++;
                AgentTrainer.standardise(adv);
                learner.update(new PolicyNet.Batch(f, a, adv, ret, n, null, new float[rows], rows,
                        new boolean[] {true, true, true, true}), sigma, informative - 1);
            }
        }
        return new double[] {hits, lastHitRate, informative};
    }

    @Test
    void learnsASparseRewardInsideANarrowWindow() {
        AgentHyperParameters hp = AgentHyperParameters.defaults().withLearningRate(3e-3);
        PolicyNet net = PolicyNet.initial(21);
        PolicyLearner learner = new PolicyLearner(net, hp);
        double lo = 0.55;
        double hi = 0.70;
        double[] r = runToy(net, learner, 400, 64, 0.7, 0.03, lo, hi, 22);
        // deterministic policy: the last two targets in the window
        float[] step = new float[PolicyNet.FEATURES];
        double last = 0;
        double prev = 0;
        for (int t = 0; t < 6; t++) {
            step[2 * PolicyNet.H + 7] = t / 5f;
            step[2 * PolicyNet.H + 3] = (float) last;
            step[5] = 1f;
            prev = last;
            last = net.forward(step, 1, Gemm.JAVA).mean(0, 0);
        }
        assertThat(r[2]).as("informative batches").isGreaterThan(10);
        assertThat(last).as("last target").isBetween(lo, hi);
        assertThat(prev).as("second-last target").isBetween(lo, hi);
        // random targets hit the window in about 0.6 % of episodes (0.15 / 2 per step, twice, under σ = 0.7)
        assertThat(r[1]).as("hit rate of the last batch").isGreaterThan(0.3);
    }

    @Test
    void actionMeanStaysBoundedWhenTheRewardPushesPastTheBound() {
        // reward = the target itself: the optimum is on the bound, every late sample clips there
        AgentHyperParameters hp = AgentHyperParameters.defaults().withLearningRate(1e-2);
        PolicyNet net = PolicyNet.initial(31);
        PolicyLearner learner = new PolicyLearner(net, hp);
        SplittableRandom rng = new SplittableRandom(32);
        int rows = 64;
        double maxAbsPre = 0;
        for (int k = 0; k < 600; k++) {
            float[] f = new float[rows * PolicyNet.FEATURES];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) (i % PolicyNet.FEATURES == 5 ? 1 : 0.1 * rng.nextGaussian());
            }
            PolicyNet.Activations act = net.forward(f, rows, Gemm.JAVA);
            float[] a = new float[rows * 4];
            float[] adv = new float[rows];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < 4; c++) {
                    a[r * 4 + c] = (float) PolicyNet.sample(act.mean(r, c), 0.3, rng);
                    maxAbsPre = Math.max(maxAbsPre, Math.abs(act.o()[r * PolicyNet.OUT + c]));
                }
                adv[r] = a[r * 4];
            }
            AgentTrainer.standardise(adv);
            learner.update(new PolicyNet.Batch(f, a, adv, new float[rows], rows, null, new float[rows], rows,
                    new boolean[] {true, true, true, true}), 0.3, k);
        }
        float[] probe = new float[PolicyNet.FEATURES];
        probe[5] = 1;
        PolicyNet.Activations act = net.forward(probe, 1, Gemm.JAVA);
        assertThat(act.mean(0, 0)).as("μ moved to the upper bound").isGreaterThan(0.9).isLessThan(1.0);
        assertThat(maxAbsPre).as("pre-activations stay finite and out of tanh's flat tails").isLessThan(8);
        for (float v : net.p) {
            assertThat(Float.isFinite(v)).isTrue();
        }
    }
}
