package org.cvdplanner.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.Random;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/** The custom DL4J losses of the policy network: definitions and gradients. */
class PolicyLossTests {

    private static INDArray random(Random rng, int rows, int cols, double scale) {
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = scale * rng.nextGaussian();
        }
        return Nd4j.create(v, new long[] {rows, cols}, DataType.DOUBLE);
    }

    /** Central finite differences of the summed score against the analytic gradient, in double. */
    private static void checkAgainstFiniteDifferences(ILossFunction loss, INDArray labels, INDArray pre, INDArray mask) {
        ActivationIdentity identity = new ActivationIdentity();
        INDArray gradient = loss.computeGradient(labels, pre, identity, mask);
        double eps = 1e-6;
        for (int r = 0; r < pre.rows(); r++) {
            for (int c = 0; c < pre.columns(); c++) {
                double original = pre.getDouble(r, c);
                pre.putScalar(r, c, original + eps);
                double plus = loss.computeScore(labels, pre, identity, mask, false);
                pre.putScalar(r, c, original - eps);
                double minus = loss.computeScore(labels, pre, identity, mask, false);
                pre.putScalar(r, c, original);
                double numeric = (plus - minus) / (2 * eps);
                assertThat(gradient.getDouble(r, c)).as("d/d pre[%d,%d]", r, c)
                        .isCloseTo(numeric, offset(1e-5 * Math.max(1, Math.abs(numeric))));
            }
        }
        double summed = loss.computeScore(labels, pre, identity, mask, false);
        assertThat(loss.computeGradientAndScore(labels, pre, identity, mask, false).getFirst())
                .isCloseTo(summed, offset(1e-12));
        assertThat(loss.computeScoreArray(labels, pre, identity, mask).sumNumber().doubleValue())
                .isCloseTo(summed, offset(1e-9));
    }

    @Test
    void policyGradientLossGradientMatchesFiniteDifferences() {
        Random rng = new Random(5);
        int rows = 7;
        INDArray pre = random(rng, rows, 4, 1.0);
        INDArray labels = random(rng, rows, 5, 1.5);
        checkAgainstFiniteDifferences(new PolicyGradientLoss(0.7), labels, pre, null);
        INDArray mask = Nd4j.create(new double[] {1, 0, 1, 1, 0, 1, 1}, new long[] {rows, 1}, DataType.DOUBLE);
        checkAgainstFiniteDifferences(new PolicyGradientLoss(0.3), labels, pre, mask);
    }

    @Test
    void smoothL1LossGradientMatchesFiniteDifferencesOnBothBranches() {
        Random rng = new Random(6);
        int rows = 9;
        INDArray pre = random(rng, rows, 1, 2.0);
        INDArray labels = random(rng, rows, 1, 2.0);
        checkAgainstFiniteDifferences(new SmoothL1Loss(0.5), labels, pre, null);
        long quadratic = 0;
        for (int r = 0; r < rows; r++) {
            if (Math.abs(pre.getDouble(r, 0) - labels.getDouble(r, 0)) < 1) {
                quadratic++;
            }
        }
        assertThat(quadratic).as("both branches of the Huber loss are exercised").isBetween(1L, (long) rows - 1);
    }

    @Test
    void policyGradientScoreIsAdvantageTimesNegativeGaussianLogDensityUpToAConstant() {
        double sigma = 0.5;
        PolicyGradientLoss loss = new PolicyGradientLoss(sigma);
        double[] mu = {0.2, -0.1, 0.4, 1.0};
        double[] a = {0.5, 0.3, -0.2, 1.1};
        double advantage = -1.7;
        INDArray pre = Nd4j.create(mu, new long[] {1, 4}, DataType.DOUBLE);
        INDArray labels = Nd4j.create(new double[] {a[0], a[1], a[2], a[3], advantage}, new long[] {1, 5},
                DataType.DOUBLE);
        double logDensity = 0;
        for (int j = 0; j < 4; j++) {
            logDensity += -0.5 * Math.log(2 * Math.PI * sigma * sigma) - (a[j] - mu[j]) * (a[j] - mu[j]) / (2 * sigma * sigma);
        }
        double constant = 4 * -0.5 * Math.log(2 * Math.PI * sigma * sigma);
        assertThat(loss.computeScore(labels, pre, new ActivationIdentity(), null, false))
                .isCloseTo(-advantage * (logDensity - constant), offset(1e-12));
    }

    @Test
    void labelsMustCarryTheAdvantageColumn() {
        INDArray pre = Nd4j.zeros(DataType.DOUBLE, 2, 4);
        assertThatThrownBy(() -> new PolicyGradientLoss(1).computeScore(Nd4j.zeros(DataType.DOUBLE, 2, 4), pre,
                new ActivationIdentity(), null, true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("advantage");
    }

    @Test
    void wholePolicyNetworkPassesDl4jGradientCheck() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            AgentHyperParameters hp = AgentHyperParameters.defaults().withSeed(3).withSigma(0.6);
            ComputationGraph net = PolicyNetworks.create(PolicyNetworks.configuration(hp, DataType.DOUBLE, new NoOp()));
            Random rng = new Random(9);
            int rows = 6;
            INDArray states = random(rng, rows, PolicyNetworks.STATE, 0.5);
            INDArray meanLabels = random(rng, rows, PolicyNetworks.ACTIONS + 1, 1.0);
            INDArray valueLabels = random(rng, rows, 1, 3.0);
            boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(net)
                    .inputs(new INDArray[] {states}).labels(new INDArray[] {meanLabels, valueLabels})
                    .epsilon(1e-6).maxRelError(1e-3).minAbsoluteError(1e-8)
                    .print(GradientCheckUtil.PrintMode.FAILURES_ONLY).exitOnFirstError(false)
                    .subset(true).maxPerParam(20));
            assertThat(ok).as("DL4J gradient check of the policy graph").isTrue();
        } finally {
            Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        }
    }

    @Test
    void gemmForwardMatchesTheDl4jGraph() {
        AgentHyperParameters hp = AgentHyperParameters.defaults().withSeed(4);
        ComputationGraph net = PolicyNetworks.create(hp);
        Random rng = new Random(2);
        int rows = 5;
        float[] states = new float[rows * PolicyNetworks.STATE];
        for (int i = 0; i < states.length; i++) {
            states[i] = (float) rng.nextGaussian() * 0.5f;
        }
        INDArray[] out = net.output(false, Nd4j.create(states, new long[] {rows, PolicyNetworks.STATE}, 'c'));
        PolicyWeights weights = new PolicyWeights(net);
        float[] mean = new float[rows * 4];
        float[] value = new float[rows];
        weights.forward(states, rows, weights.scratch(rows), mean, value);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < 4; c++) {
                assertThat(mean[r * 4 + c]).isCloseTo(out[0].getFloat(r, c), offset(1e-5f));
            }
            assertThat(value[r]).isCloseTo(out[1].getFloat(r, 0), offset(1e-5f));
        }
    }
}
