package org.cvdplanner.nade;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Map;

import org.cvdplanner.synthesis.ProfileArrays;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The hand-written NADE-CVD kernel against the PyTorch reference network and against DL4J's own
 * network. The fixture under {@code nade-parity/} was written by the reference implementation's
 * {@code parity} command (one batch of 8 synthetic profiles, the reference's initial weights,
 * outputs, loss and every gradient) and {@code adam_step.py} (the weights after two Adam steps).
 */
class NadeKernelParityTests {

    private static final double REFERENCE_FLOOR = 1e-6;

    private static File fixture(String name) {
        try {
            return new File(NadeKernelParityTests.class.getResource("/nade-parity/" + name + ".npy").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static float[] npy(String name) {
        return Nd4j.createFromNpyFile(fixture(name)).castTo(DataType.FLOAT).data().asFloat();
    }

    private static long[] shape(String name) {
        return Nd4j.createFromNpyFile(fixture(name)).shape();
    }

    /** Reference tensors (by prefix "weight." / "grad." / "adam2.") in the kernel's layout. */
    static float[] referenceParameters(String prefix, boolean gradient) {
        float[] p = new float[NadeKernel.Layout.SIZE];
        put(p, NadeKernel.Layout.W1, npy(prefix + "enc.0.weight"));
        put(p, NadeKernel.Layout.B1, npy(prefix + "enc.0.bias"));
        put(p, NadeKernel.Layout.W2, npy(prefix + "enc.2.weight"));
        put(p, NadeKernel.Layout.B2, npy(prefix + "enc.2.bias"));
        put(p, NadeKernel.Layout.W3, npy(prefix + "enc.4.weight"));
        put(p, NadeKernel.Layout.B3, npy(prefix + "enc.4.bias"));
        put(p, NadeKernel.Layout.WIH, npy(prefix + "rnn.weight_ih_l0"));
        put(p, NadeKernel.Layout.WHH, npy(prefix + "rnn.weight_hh_l0"));
        put(p, NadeKernel.Layout.BG, npy(prefix + "rnn.bias_ih_l0"));
        put(p, NadeKernel.Layout.BGH, npy(prefix + "rnn.bias_hh_l0"));
        put(p, NadeKernel.Layout.WD1, npy(prefix + "dec.0.weight"));
        put(p, NadeKernel.Layout.BD1, npy(prefix + "dec.0.bias"));
        put(p, NadeKernel.Layout.WD2, npy(prefix + "dec.2.weight"));
        put(p, NadeKernel.Layout.BD2, npy(prefix + "dec.2.bias"));
        put(p, NadeKernel.Layout.WO, npy(prefix + "mean_head.weight"));
        put(p, NadeKernel.Layout.WO + 3 * NadeKernel.D2, npy(prefix + "var_head.weight"));
        put(p, NadeKernel.Layout.BO, npy(prefix + "mean_head.bias"));
        put(p, NadeKernel.Layout.BO + 3, npy(prefix + "var_head.bias"));
        return p;
    }

    private static void put(float[] p, int offset, float[] values) {
        System.arraycopy(values, 0, p, offset, values.length);
    }

    /** The fixture's batch as kernel rows (t * B + i): [Z_t raw, X_t normalised] and Z_{t+1}. */
    private record Batch(int profiles, int steps, float[] inputs, float[] targets) {
        static Batch load() {
            long[] s = shape("batch.z");
            int b = (int) s[0];
            int t = (int) s[1];
            float[] z = npy("batch.z");
            float[] x = npy("batch.x");
            int steps = t - 1;
            float[] in = new float[b * steps * 7];
            float[] y = new float[b * steps * 3];
            for (int i = 0; i < b; i++) {
                for (int k = 0; k < steps; k++) {
                    int row = k * b + i;
                    for (int c = 0; c < 3; c++) {
                        in[row * 7 + c] = z[(i * t + k) * 3 + c];
                        y[row * 3 + c] = z[(i * t + k + 1) * 3 + c];
                    }
                    for (int c = 0; c < 4; c++) {
                        in[row * 7 + 3 + c] = x[(i * t + k) * 4 + c];
                    }
                }
            }
            return new Batch(b, steps, in, y);
        }
    }

    private static double maxRelativeError(float[] expected, float[] actual, int from, int to) {
        double scale = 0;
        double worst = 0;
        for (int i = from; i < to; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        for (int i = from; i < to; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]) / Math.max(scale, 1e-12));
        }
        return worst;
    }

    private static final Map<String, int[]> BLOCKS = Map.ofEntries(
            Map.entry("encoder 1", new int[] {NadeKernel.Layout.W1, NadeKernel.Layout.W2}),
            Map.entry("encoder 2", new int[] {NadeKernel.Layout.W2, NadeKernel.Layout.W3}),
            Map.entry("encoder 3", new int[] {NadeKernel.Layout.W3, NadeKernel.Layout.WIH}),
            Map.entry("lstm input weights", new int[] {NadeKernel.Layout.WIH, NadeKernel.Layout.WHH}),
            Map.entry("lstm recurrent weights", new int[] {NadeKernel.Layout.WHH, NadeKernel.Layout.BG}),
            Map.entry("lstm bias", new int[] {NadeKernel.Layout.BG, NadeKernel.Layout.WD1}),
            Map.entry("decoder 1", new int[] {NadeKernel.Layout.WD1, NadeKernel.Layout.WD2}),
            Map.entry("decoder 2", new int[] {NadeKernel.Layout.WD2, NadeKernel.Layout.WO}),
            Map.entry("heads", new int[] {NadeKernel.Layout.WO, NadeKernel.Layout.SIZE}));

    @Test
    void outputsLossAndEveryGradientMatchThePyTorchReference() {
        Batch batch = Batch.load();
        float[] p = referenceParameters("weight.", false);
        NadeKernel kernel = new NadeKernel(0, REFERENCE_FLOOR);
        float[] out = kernel.forward(p, batch.inputs(), batch.profiles(), batch.steps()).clone();

        float[] mean = npy("out.mean");
        float[] variance = npy("out.variance");
        double[] m = new double[3];
        double worstMean = 0;
        double worstVariance = 0;
        for (int i = 0; i < batch.profiles(); i++) {
            for (int t = 0; t < batch.steps(); t++) {
                int row = t * batch.profiles() + i;
                GaussianNllLoss.softmax3(out[row * 6], out[row * 6 + 1], out[row * 6 + 2], m, 0);
                for (int k = 0; k < 3; k++) {
                    int ref = (i * batch.steps() + t) * 3 + k;
                    worstMean = Math.max(worstMean, Math.abs(m[k] - mean[ref]) / Math.abs(mean[ref]));
                    double v = GaussianNllLoss.softplus(out[row * 6 + 3 + k]) + REFERENCE_FLOOR;
                    worstVariance = Math.max(worstVariance, Math.abs(v - variance[ref]) / variance[ref]);
                }
            }
        }
        assertThat(worstMean).as("mean, max relative error").isLessThan(1e-4);
        assertThat(worstVariance).as("variance, max relative error").isLessThan(1e-4);

        float[] grad = new float[NadeKernel.Layout.SIZE];
        double loss = kernel.lossAndGradient(p, batch.inputs(), batch.targets(), batch.profiles(), batch.steps(), grad)
                / batch.profiles();
        assertThat(loss).as("mean NLL per profile").isCloseTo(50.310539, org.assertj.core.data.Offset.offset(5e-3));

        float[] expected = referenceParameters("grad.", true);
        for (Map.Entry<String, int[]> block : BLOCKS.entrySet()) {
            assertThat(maxRelativeError(expected, grad, block.getValue()[0], block.getValue()[1]))
                    .as("gradient of %s (max error relative to the block's largest entry)", block.getKey())
                    .isLessThan(1e-4);
        }
    }

    @Test
    void twoAdamStepsMatchThePyTorchReference() {
        Batch batch = Batch.load();
        float[] p = referenceParameters("weight.", false);
        NadeKernel kernel = new NadeKernel(0, REFERENCE_FLOOR);
        AdamState adam = new AdamState(p.length);
        for (int step = 0; step < 2; step++) {
            float[] grad = new float[p.length];
            kernel.lossAndGradient(p, batch.inputs(), batch.targets(), batch.profiles(), batch.steps(), grad);
            adam.update(p, grad, 1e-3);
        }
        float[] expected = referenceParameters("adam2.", false);
        float[] initial = referenceParameters("weight.", false);
        // Compare the parameter change (2 Adam steps of ~1e-3 each), not the parameters themselves.
        float[] expectedChange = new float[p.length];
        float[] change = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            expectedChange[i] = expected[i] - initial[i];
            change[i] = p[i] - initial[i];
        }
        for (Map.Entry<String, int[]> block : BLOCKS.entrySet()) {
            // Adam normalises each gradient entry, so entries with a gradient near zero (within float
            // noise) can move by a different fraction of lr; the bulk must agree.
            assertThat(maxRelativeError(expectedChange, change, block.getValue()[0], block.getValue()[1]))
                    .as("Adam change of %s", block.getKey())
                    .isLessThan(2e-2);
            assertThat(meanAbsoluteError(expectedChange, change, block.getValue()[0], block.getValue()[1]))
                    .as("Adam change of %s, mean absolute error", block.getKey())
                    .isLessThan(2e-5);
        }
    }

    private static double meanAbsoluteError(float[] a, float[] b, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += Math.abs(a[i] - b[i]);
        }
        return sum / (to - from);
    }

    @Test
    void kernelComputesWhatDl4jsNetworkComputes() {
        NadeHyperParameters hp = NadeHyperParameters.defaults().withSeed(3);
        MultiLayerNetwork net = NadeNetworks.create(hp, DataType.FLOAT);
        ProfileArrays data = SyntheticProfiles.generate(6, 12, 11);
        NadeNormaliser normaliser = NadeNormaliser.fit(data);
        DataSet ds = NadeNetworks.dataSet(data, null, 0, 6, normaliser, DataType.FLOAT);
        INDArray expected = net.output(ds.getFeatures(), false); // [n, 6, steps]

        float[] p = NadeKernel.fromNetwork(net);
        int steps = data.steps() - 1;
        float[] x = new float[6 * steps * 7];
        float[] y = new float[6 * steps * 3];
        NadeKernel.inputs(data, null, 0, 6, normaliser, x, y);
        NadeKernel kernel = new NadeKernel(hp.fixedVariance(), hp.varianceFloor());
        float[] out = kernel.forward(p, x, 6, steps);
        double worst = 0;
        for (int i = 0; i < 6; i++) {
            for (int t = 0; t < steps; t++) {
                for (int o = 0; o < 6; o++) {
                    worst = Math.max(worst, Math.abs(expected.getDouble(i, o, t) - out[(t * 6 + i) * 6 + o]));
                }
            }
        }
        assertThat(worst).as("largest difference of a raw output").isLessThan(1e-5);

        // DL4J's gradient of its score (mean NLL per profile) equals the kernel's.
        net.setInput(ds.getFeatures());
        net.setLabels(ds.getLabels());
        net.computeGradientAndScore();
        Gradient gradient = net.gradient();
        MultiLayerNetwork gradientNet = NadeNetworks.create(hp, DataType.FLOAT);
        gradientNet.setParams(gradient.gradient().reshape(1, gradient.gradient().length()));
        float[] dl4j = NadeKernel.fromNetwork(gradientNet);
        float[] grad = new float[NadeKernel.Layout.SIZE];
        double loss = kernel.lossAndGradient(p, x, y, 6, steps, grad);
        assertThat(loss / 6).isCloseTo(net.score(), org.assertj.core.data.Offset.offset(1e-3 * Math.abs(net.score())));
        // DL4J holds the LSTM bias once: its gradient is the kernel's b_ih (= b_hh) gradient.
        Arrays.fill(grad, NadeKernel.Layout.BGH, NadeKernel.Layout.BGH + NadeKernel.G, 0f);
        // DL4J's network gradient is the batch SUM (its updater divides by the batch size before
        // Adam); the kernel's is the mean per profile, as the reference's.
        for (int i = 0; i < dl4j.length; i++) {
            dl4j[i] /= 6;
        }
        for (Map.Entry<String, int[]> block : BLOCKS.entrySet()) {
            int from = block.getValue()[0];
            int to = block.getKey().equals("lstm bias") ? NadeKernel.Layout.BGH : block.getValue()[1];
            assertThat(maxRelativeError(dl4j, grad, from, to)).as("gradient of %s vs DL4J", block.getKey())
                    .isLessThan(1e-3);
        }

        // Round trip through the DL4J network.
        MultiLayerNetwork copy = NadeNetworks.create(hp.withSeed(99), DataType.FLOAT);
        NadeKernel.toNetwork(p, copy);
        assertThat(copy.params().equalsWithEps(net.params(), 1e-7)).isTrue();
    }

    @Test
    void layoutCoversEveryParameterOfTheDl4jNetwork() throws IOException {
        MultiLayerNetwork net = NadeNetworks.create(NadeHyperParameters.defaults(), DataType.FLOAT);
        // The kernel has one extra bias block (b_hh) that DL4J folds into its single LSTM bias.
        assertThat(NadeKernel.Layout.SIZE - NadeKernel.G).isEqualTo(net.numParams());
    }
}
