package org.cvdplanner.nade;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

class GaussianNllLossTests {

    private static INDArray random(Random rng, int rows, int cols, double scale, double shift) {
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = shift + scale * rng.nextGaussian();
        }
        return Nd4j.create(v, new long[] {rows, cols}, DataType.DOUBLE);
    }

    private static INDArray simplexLabels(Random rng, int rows) {
        double[] v = new double[rows * 3];
        for (int i = 0; i < rows; i++) {
            double a = rng.nextDouble();
            double b = rng.nextDouble() * (1 - a);
            v[i * 3] = a;
            v[i * 3 + 1] = b;
            v[i * 3 + 2] = 1 - a - b;
        }
        return Nd4j.create(v, new long[] {rows, 3}, DataType.DOUBLE);
    }

    /** Central finite differences of the summed score against the analytic gradient, in double. */
    private static void checkAgainstFiniteDifferences(GaussianNllLoss loss, INDArray mask) {
        Random rng = new Random(7);
        int rows = 9;
        INDArray pre = random(rng, rows, 6, 1.5, 0);
        pre.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(3, 6)).subi(4);
        INDArray labels = simplexLabels(rng, rows);
        ActivationIdentity identity = new ActivationIdentity();
        INDArray gradient = loss.computeGradient(labels, pre, identity, mask);
        double eps = 1e-6;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < 6; c++) {
                double original = pre.getDouble(r, c);
                pre.putScalar(r, c, original + eps);
                double plus = loss.computeScore(labels, pre, identity, mask, false);
                pre.putScalar(r, c, original - eps);
                double minus = loss.computeScore(labels, pre, identity, mask, false);
                pre.putScalar(r, c, original);
                double numeric = (plus - minus) / (2 * eps);
                double analytic = gradient.getDouble(r, c);
                assertThat(analytic).as("d/d pre[%d,%d]", r, c)
                        .isCloseTo(numeric, org.assertj.core.data.Offset.offset(1e-5 * Math.max(1, Math.abs(numeric))));
            }
        }
    }

    @Test
    void analyticGradientMatchesFiniteDifferencesWithLearnedVariance() {
        checkAgainstFiniteDifferences(new GaussianNllLoss(1e-4, 0), null);
    }

    @Test
    void analyticGradientMatchesFiniteDifferencesWithFixedVarianceAndMask() {
        INDArray mask = Nd4j.create(new double[] {1, 0, 1, 1, 0, 1, 1, 1, 0}, new long[] {9, 1}, DataType.DOUBLE);
        checkAgainstFiniteDifferences(new GaussianNllLoss(1e-4, 0.01), mask);
        checkAgainstFiniteDifferences(new GaussianNllLoss(1e-4, 0), mask);
    }

    @Test
    void scoreIsTheGaussianNegativeLogLikelihood() {
        GaussianNllLoss loss = new GaussianNllLoss(1e-6, 0.01);
        // logits (0,0,0) -> mean (1/3, 1/3, 1/3); fixed variance 0.01
        INDArray pre = Nd4j.create(new double[] {0, 0, 0, 5, 5, 5}, new long[] {1, 6}, DataType.DOUBLE);
        INDArray y = Nd4j.create(new double[] {0, 0, 1}, new long[] {1, 3}, DataType.DOUBLE);
        double expected = 0;
        double[] m = {1.0 / 3, 1.0 / 3, 1.0 / 3};
        double[] t = {0, 0, 1};
        for (int k = 0; k < 3; k++) {
            expected += 0.5 * Math.log(2 * Math.PI * 0.01) + (t[k] - m[k]) * (t[k] - m[k]) / (2 * 0.01);
        }
        assertThat(loss.computeScore(y, pre, new ActivationIdentity(), null, false))
                .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void wholeNetworkPassesDl4jGradientCheck() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            for (double fixedVariance : new double[] {0, 0.01}) {
                NadeHyperParameters hp = NadeHyperParameters.defaults().withSeed(3).withFixedVariance(fixedVariance)
                        .withVarianceFloor(1e-3);
                MultiLayerNetwork net = NadeNetworks.create(hp, DataType.DOUBLE, new NoOp());
                Random rng = new Random(11);
                int batch = 3;
                int steps = 4;
                INDArray input = Nd4j.create(DataType.DOUBLE, batch, 7, steps);
                INDArray labels = Nd4j.create(DataType.DOUBLE, batch, 3, steps);
                for (int b = 0; b < batch; b++) {
                    for (int t = 0; t < steps; t++) {
                        for (int f = 0; f < 7; f++) {
                            input.putScalar(new long[] {b, f, t}, rng.nextGaussian());
                        }
                        double a = rng.nextDouble();
                        double c = rng.nextDouble() * (1 - a);
                        labels.putScalar(new long[] {b, 0, t}, a);
                        labels.putScalar(new long[] {b, 1, t}, c);
                        labels.putScalar(new long[] {b, 2, t}, 1 - a - c);
                    }
                }
                boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(input)
                        .labels(labels).epsilon(1e-6).maxRelError(1e-3).minAbsoluteError(1e-8)
                        .print(GradientCheckUtil.PrintMode.FAILURES_ONLY).exitOnFirstError(false)
                        .subset(true).maxPerParam(12));
                assertThat(ok).as("gradient check, fixedVariance=" + fixedVariance).isTrue();
            }
        } finally {
            Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        }
    }
}
