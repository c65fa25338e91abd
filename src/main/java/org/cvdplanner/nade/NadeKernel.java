package org.cvdplanner.nade;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.cvdplanner.synthesis.ConditionVector;
import org.cvdplanner.synthesis.PhaseVector;
import org.cvdplanner.synthesis.ProfileArrays;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The NADE-CVD network's forward pass, Gaussian NLL and backward pass (back-propagation through
 * time) written out by hand: every matrix product is one ND4J gemm, the element-wise work is
 * plain Java. It computes exactly what DL4J's {@code MultiLayerNetwork} of {@link NadeNetworks}
 * computes (tested against it and against the PyTorch reference), at a fraction of the fixed
 * per-op cost: the encoder, the LSTM's input weights and the decoder run once per batch over all
 * (step, profile) rows; only the recurrent product runs per step.
 *
 * <p>Backend-safe: inputs are copied into ND4J's host buffer in bulk and then declared current
 * with {@code AffinityManager.tagLocation(…, HOST)}; products are read only after
 * {@code AffinityManager.ensureLocation(…, HOST)}. These are ND4J's own calls for keeping host
 * and device copies in sync, so the same code is correct on the CPU and CUDA backends (the
 * element-wise {@code Nd4j.create(float[])} / {@code asFloat()} copies were a third of the CPU
 * time). Matrices are cached per call site and shape, never allocated per call.
 *
 * <p>Parameters are one flat {@code float[]} in the layout of {@link Layout}: dense weights
 * [out, in] row-major, LSTM gates stacked in the order i, f, g, o (PyTorch's), one bias per gate
 * unit, the bias split in two halves as PyTorch's b_ih and b_hh (each gets its own Adam step, so
 * training follows the reference's dynamics exactly; DL4J stores their sum). Conversions to and from a DL4J network are {@link #fromNetwork} and {@link #toNetwork}.
 * Not thread-safe: one kernel per thread (they may share nothing but the parameters read).
 */
final class NadeKernel {

    static final int IN = NadeNormaliser.INPUTS;
    static final int E1 = NadeNetworks.ENCODER[0];
    static final int E2 = NadeNetworks.ENCODER[1];
    static final int E3 = NadeNetworks.ENCODER[2];
    static final int H = NadeNetworks.HIDDEN;
    static final int G = 4 * H;
    static final int D1 = NadeNetworks.DECODER[0];
    static final int D2 = NadeNetworks.DECODER[1];
    static final int OUT = NadeNetworks.OUTPUTS;
    static final int P = PhaseVector.SIZE;

    /** Offsets of every parameter block in the flat parameter vector. */
    static final class Layout {
        static final int W1 = 0;
        static final int B1 = W1 + E1 * IN;
        static final int W2 = B1 + E1;
        static final int B2 = W2 + E2 * E1;
        static final int W3 = B2 + E2;
        static final int B3 = W3 + E3 * E2;
        static final int WIH = B3 + E3;
        static final int WHH = WIH + G * E3;
        /** LSTM bias, input part (PyTorch's b_ih). */
        static final int BG = WHH + G * H;
        /** LSTM bias, recurrent part (PyTorch's b_hh): the effective bias is BG + BGH. */
        static final int BGH = BG + G;
        static final int WD1 = BGH + G;
        static final int BD1 = WD1 + D1 * H;
        static final int WD2 = BD1 + D1;
        static final int BD2 = WD2 + D2 * D1;
        static final int WO = BD2 + D2;
        static final int BO = WO + OUT * D2;
        static final int SIZE = BO + OUT;

        // The dense layers: their DL4J layer index, weight and bias offsets, widths in and out. Kept
        // here, not in the outer class, so that they are initialised after the offsets above.
        static final int[] DENSE_LAYERS = {0, 1, 2, NadeNetworks.LSTM_LAYER + 1, NadeNetworks.LSTM_LAYER + 2,
                NadeNetworks.OUTPUT_LAYER};
        static final int[] DENSE_W = {W1, W2, W3, WD1, WD2, WO};
        static final int[] DENSE_B = {B1, B2, B3, BD1, BD2, BO};
        static final int[] DENSE_IN = {IN, E1, E2, H, D1, D2};
        static final int[] DENSE_OUT = {E1, E2, E3, D1, D2, OUT};

        private Layout() {
        }
    }

    private final double fixedVariance;
    private final double varianceFloor;
    private final Map<String, INDArray> slots = new HashMap<>();

    // Activations of the last forward pass (rows = step * batch + profile).
    private int batch;
    private int steps;
    private float[] x;
    private float[] a1;
    private float[] a2;
    private float[] a3;
    /** Gate activations i, f, g, o per row, [rows, 4H]. */
    private float[] gates;
    private float[] cell;
    private float[] tanhCell;
    private float[] hidden;
    private float[] d1;
    private float[] d2;
    private float[] out;

    NadeKernel(double fixedVariance, double varianceFloor) {
        this.fixedVariance = fixedVariance;
        this.varianceFloor = varianceFloor;
    }

    // ----------------------------------------------------------------------------------------
    // Parameters

    /**
     * PyTorch's default initialisation (uniform ±1/√fan_in for linear layers, ±1/√H for every LSTM
     * weight and both LSTM bias halves),
     * and a variance head that starts near 0.01.
     */
    static float[] initialParameters(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] p = new float[Layout.SIZE];
        uniform(p, Layout.W1, E1 * IN + E1, 1 / Math.sqrt(IN), rng);
        uniform(p, Layout.W2, E2 * E1 + E2, 1 / Math.sqrt(E1), rng);
        uniform(p, Layout.W3, E3 * E2 + E3, 1 / Math.sqrt(E2), rng);
        double k = 1 / Math.sqrt(H);
        uniform(p, Layout.WIH, G * E3 + G * H, k, rng);
        uniform(p, Layout.BG, 2 * G, k, rng);
        uniform(p, Layout.WD1, D1 * H + D1, 1 / Math.sqrt(H), rng);
        uniform(p, Layout.WD2, D2 * D1 + D2, 1 / Math.sqrt(D1), rng);
        uniform(p, Layout.WO, OUT * D2 + OUT, 1 / Math.sqrt(D2), rng);
        for (int k3 = 0; k3 < P; k3++) {
            p[Layout.BO + P + k3] = (float) NadeNetworks.INITIAL_VARIANCE_LOGIT;
        }
        return p;
    }

    private static void uniform(float[] p, int from, int count, double bound, SplittableRandom rng) {
        for (int i = from; i < from + count; i++) {
            p[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
        }
    }

    /** DL4J's LSTM stacks its gate blocks as (g, f, o, i); ours are (i, f, g, o). */
    private static final int[] DL4J_BLOCK_OF_GATE = {3, 1, 0, 2};

    /** The parameters of a NADE-CVD DL4J network in this kernel's layout (its LSTM bias as b_ih, b_hh zero). */
    static float[] fromNetwork(MultiLayerNetwork net) {
        float[] p = new float[Layout.SIZE];
        for (int d = 0; d < Layout.DENSE_LAYERS.length; d++) {
            float[][] w = net.getLayer(Layout.DENSE_LAYERS[d]).getParam("W").castTo(DataType.FLOAT).toFloatMatrix(); // [in, out]
            float[] b = net.getLayer(Layout.DENSE_LAYERS[d]).getParam("b").castTo(DataType.FLOAT).toFloatVector();
            int in = w.length;
            int outs = w[0].length;
            for (int o = 0; o < outs; o++) {
                for (int i = 0; i < in; i++) {
                    p[Layout.DENSE_W[d] + o * in + i] = w[i][o];
                }
            }
            System.arraycopy(b, 0, p, Layout.DENSE_B[d], outs);
        }
        float[][] wx = net.getLayer(NadeNetworks.LSTM_LAYER).getParam("W").castTo(DataType.FLOAT).toFloatMatrix();
        float[][] wh = net.getLayer(NadeNetworks.LSTM_LAYER).getParam("RW").castTo(DataType.FLOAT).toFloatMatrix();
        float[] b = net.getLayer(NadeNetworks.LSTM_LAYER).getParam("b").castTo(DataType.FLOAT).toFloatVector();
        for (int gate = 0; gate < 4; gate++) {
            int block = DL4J_BLOCK_OF_GATE[gate];
            for (int u = 0; u < H; u++) {
                int row = gate * H + u;
                int col = block * H + u;
                for (int i = 0; i < E3; i++) {
                    p[Layout.WIH + row * E3 + i] = wx[i][col];
                }
                for (int i = 0; i < H; i++) {
                    p[Layout.WHH + row * H + i] = wh[i][col];
                }
                p[Layout.BG + row] = b[col];
            }
        }
        return p;
    }

    /** Writes parameters in this kernel's layout into a NADE-CVD DL4J network. */
    static void toNetwork(float[] p, MultiLayerNetwork net) {
        for (int d = 0; d < Layout.DENSE_LAYERS.length; d++) {
            float[][] w = new float[Layout.DENSE_IN[d]][Layout.DENSE_OUT[d]];
            for (int o = 0; o < Layout.DENSE_OUT[d]; o++) {
                for (int i = 0; i < Layout.DENSE_IN[d]; i++) {
                    w[i][o] = p[Layout.DENSE_W[d] + o * Layout.DENSE_IN[d] + i];
                }
            }
            INDArray current = net.getLayer(Layout.DENSE_LAYERS[d]).getParam("W");
            current.assign(Nd4j.create(w).castTo(current.dataType()));
            INDArray bias = net.getLayer(Layout.DENSE_LAYERS[d]).getParam("b");
            bias.assign(Nd4j.create(Arrays.copyOfRange(p, Layout.DENSE_B[d], Layout.DENSE_B[d] + Layout.DENSE_OUT[d]), bias.shape())
                    .castTo(bias.dataType()));
        }
        float[][] wx = new float[E3][G];
        float[][] wh = new float[H][G];
        float[] b = new float[G];
        for (int gate = 0; gate < 4; gate++) {
            int block = DL4J_BLOCK_OF_GATE[gate];
            for (int u = 0; u < H; u++) {
                int row = gate * H + u;
                int col = block * H + u;
                for (int i = 0; i < E3; i++) {
                    wx[i][col] = p[Layout.WIH + row * E3 + i];
                }
                for (int i = 0; i < H; i++) {
                    wh[i][col] = p[Layout.WHH + row * H + i];
                }
                b[col] = p[Layout.BG + row] + p[Layout.BGH + row];
            }
        }
        INDArray lstm = net.getLayer(NadeNetworks.LSTM_LAYER).getParam("W");
        lstm.assign(Nd4j.create(wx).castTo(lstm.dataType()));
        INDArray recurrent = net.getLayer(NadeNetworks.LSTM_LAYER).getParam("RW");
        recurrent.assign(Nd4j.create(wh).castTo(recurrent.dataType()));
        INDArray bias = net.getLayer(NadeNetworks.LSTM_LAYER).getParam("b");
        bias.assign(Nd4j.create(b, bias.shape()).castTo(bias.dataType()));
    }

    // ----------------------------------------------------------------------------------------
    // Data

    /**
     * Network inputs of profiles {@code order[from..to)} (all when {@code order} is null):
     * normalised [Z_t, X_t] at rows {@code t * n + i}, and the targets Z_{t+1} at the same rows.
     */
    static void inputs(ProfileArrays data, int[] order, int from, int to, NadeNormaliser normaliser, float[] x,
            float[] y) {
        int n = to - from;
        int steps = data.steps() - 1;
        float[] scale = normaliser.scales();
        float[] offset = normaliser.offsets();
        float[] conditions = data.conditions();
        float[] phases = data.phases();
        for (int i = 0; i < n; i++) {
            int p = order == null ? from + i : order[from + i];
            for (int t = 0; t < steps; t++) {
                int row = t * n + i;
                int z = (p * data.steps() + t) * P;
                int c = (p * data.steps() + t) * ConditionVector.SIZE;
                for (int k = 0; k < P; k++) {
                    x[row * IN + k] = phases[z + k] * scale[k] + offset[k];
                    y[row * P + k] = phases[z + P + k];
                }
                for (int k = 0; k < ConditionVector.SIZE; k++) {
                    x[row * IN + P + k] = conditions[c + k] * scale[P + k] + offset[P + k];
                }
            }
        }
    }

    // ----------------------------------------------------------------------------------------
    // Forward, loss, backward

    /**
     * Forward pass over {@code batch} profiles of {@code steps} steps (rows {@code t * batch + i}
     * of {@code inputs}, [rows, 7]); keeps every activation for {@link #backward}. Returns the
     * raw outputs [rows, 6] (mean logits, variance logits); the array is owned by the kernel.
     */
    float[] forward(float[] p, float[] inputs, int batch, int steps) {
        int rows = batch * steps;
        ensure(batch, steps);
        System.arraycopy(inputs, 0, x, 0, rows * IN);
        dense(p, Layout.W1, Layout.B1, x, rows, IN, E1, a1, true);
        dense(p, Layout.W2, Layout.B2, a1, rows, E1, E2, a2, true);
        dense(p, Layout.W3, Layout.B3, a2, rows, E2, E3, a3, true);
        // Input part of every gate pre-activation for all rows at once, then the recurrence.
        float[] pre = matmulTransB("a3", a3, rows, E3, p, Layout.WIH, G);
        float[] bias = new float[G];
        for (int g = 0; g < G; g++) {
            bias[g] = p[Layout.BG + g] + p[Layout.BGH + g];
        }
        INDArray whh = block(p, Layout.WHH, G, H);
        float[] hPrev = new float[batch * H];
        float[] cPrev = new float[batch * H];
        for (int t = 0; t < steps; t++) {
            int base = t * batch;
            float[] rec = t == 0 ? null : gemm(matrix("hPrev", hPrev, batch, H), whh, false, true, batch, G);
            for (int i = 0; i < batch; i++) {
                int row = base + i;
                int g0 = row * G;
                // Pre-activations (input part + bias + recurrent part), then the gate functions, in
                // straight loops over contiguous memory that HotSpot vectorises.
                if (rec == null) {
                    for (int j = 0; j < G; j++) {
                        gates[g0 + j] = pre[g0 + j] + bias[j];
                    }
                } else {
                    int r0 = i * G;
                    for (int j = 0; j < G; j++) {
                        gates[g0 + j] = pre[g0 + j] + bias[j] + rec[r0 + j];
                    }
                }
                for (int j = 0; j < 2 * H; j++) {
                    gates[g0 + j] = FastMath.sigmoid(gates[g0 + j]);
                }
                for (int j = 2 * H; j < 3 * H; j++) {
                    gates[g0 + j] = FastMath.tanh(gates[g0 + j]);
                }
                for (int j = 3 * H; j < G; j++) {
                    gates[g0 + j] = FastMath.sigmoid(gates[g0 + j]);
                }
                int h0 = row * H;
                int p0 = i * H;
                for (int u = 0; u < H; u++) {
                    float c = gates[g0 + H + u] * cPrev[p0 + u] + gates[g0 + u] * gates[g0 + 2 * H + u];
                    cell[h0 + u] = c;
                    cPrev[p0 + u] = c;
                }
                for (int u = 0; u < H; u++) {
                    tanhCell[h0 + u] = FastMath.tanh(cell[h0 + u]);
                }
                for (int u = 0; u < H; u++) {
                    float h = gates[g0 + 3 * H + u] * tanhCell[h0 + u];
                    hidden[h0 + u] = h;
                    hPrev[p0 + u] = h;
                }
            }
        }
        dense(p, Layout.WD1, Layout.BD1, hidden, rows, H, D1, d1, true);
        dense(p, Layout.WD2, Layout.BD2, d1, rows, D1, D2, d2, true);
        dense(p, Layout.WO, Layout.BO, d2, rows, D2, OUT, out, false);
        return out;
    }

    /**
     * Gaussian NLL of the last forward pass against {@code targets} [rows, 3], summed over rows
     * (nats); when {@code dOut} is not null, writes dLoss/dOutput × {@code gradientScale} there.
     */
    double loss(float[] targets, float[] dOut, double gradientScale) {
        int rows = batch * steps;
        double total = 0;
        double[] m = new double[P];
        for (int r = 0; r < rows; r++) {
            int o = r * OUT;
            GaussianNllLoss.softmax3(out[o], out[o + 1], out[o + 2], m, 0);
            double gm = 0;
            double[] g = new double[P];
            for (int k = 0; k < P; k++) {
                double logit = out[o + P + k];
                double v = fixedVariance > 0 ? fixedVariance : GaussianNllLoss.softplus(logit) + varianceFloor;
                double d = m[k] - targets[r * P + k];
                total += GaussianNllLoss.HALF_LOG_TWO_PI + 0.5 * Math.log(v) + d * d / (2 * v);
                g[k] = d / v;
                gm += g[k] * m[k];
                if (dOut != null) {
                    double dv = fixedVariance > 0 ? 0
                            : (v - d * d) / (2 * v * v) * GaussianNllLoss.sigmoid(logit);
                    dOut[o + P + k] = (float) (dv * gradientScale);
                }
            }
            if (dOut != null) {
                for (int k = 0; k < P; k++) {
                    dOut[o + k] = (float) (m[k] * (g[k] - gm) * gradientScale);
                }
            }
        }
        return total;
    }

    /** Back-propagates {@code dOut} [rows, 6] through the last forward pass, adding into {@code grad}. */
    void backward(float[] p, float[] dOut, float[] grad) {
        int rows = batch * steps;
        // Decoder.
        float[] dD2 = denseBackward(p, Layout.WO, Layout.BO, d2, dOut, rows, D2, OUT, grad, null);
        reluBackward(dD2, d2);
        float[] dD1 = denseBackward(p, Layout.WD2, Layout.BD2, d1, dD2, rows, D1, D2, grad, null);
        reluBackward(dD1, d1);
        float[] dH = denseBackward(p, Layout.WD1, Layout.BD1, hidden, dD1, rows, H, D1, grad, null);
        // Back-propagation through time.
        INDArray whh = block(p, Layout.WHH, G, H);
        float[] dPre = new float[rows * G];
        float[] dhNext = new float[batch * H];
        float[] dcNext = new float[batch * H];
        for (int t = steps - 1; t >= 0; t--) {
            int base = t * batch;
            for (int i = 0; i < batch; i++) {
                int row = base + i;
                int g0 = row * G;
                for (int u = 0; u < H; u++) {
                    int hu = row * H + u;
                    float dh = dH[hu] + dhNext[i * H + u];
                    float gi = gates[g0 + u];
                    float gf = gates[g0 + H + u];
                    float gg = gates[g0 + 2 * H + u];
                    float go = gates[g0 + 3 * H + u];
                    float tc = tanhCell[hu];
                    float dc = dh * go * (1 - tc * tc) + dcNext[i * H + u];
                    float cPrev = t == 0 ? 0 : cell[hu - batch * H];
                    dPre[g0 + u] = dc * gg * gi * (1 - gi);
                    dPre[g0 + H + u] = dc * cPrev * gf * (1 - gf);
                    dPre[g0 + 2 * H + u] = dc * gi * (1 - gg * gg);
                    dPre[g0 + 3 * H + u] = dh * tc * go * (1 - go);
                    dcNext[i * H + u] = dc * gf;
                }
            }
            if (t > 0) {
                dhNext = gemm(load("dPreStep", dPre, base * G, batch, G), whh, false, false, batch, H);
            }
        }
        // Recurrent weights: sum over t of dPre_t^T h_{t-1} (h_{-1} = 0), one gemm against the
        // hidden states shifted down by one step.
        INDArray dPreMatrix = matrix("dPre", dPre, rows, G);
        float[] shifted = new float[rows * H];
        System.arraycopy(hidden, 0, shifted, batch * H, (rows - batch) * H);
        accumulate(grad, Layout.WHH, gemm(dPreMatrix, matrix("hShifted", shifted, rows, H), true, false, G, H));
        accumulate(grad, Layout.WIH, gemm(dPreMatrix, matrix("a3", a3, rows, E3), true, false, G, E3));
        columnSums(dPre, rows, G, grad, Layout.BG);
        columnSums(dPre, rows, G, grad, Layout.BGH);
        float[] dA3 = gemm(dPreMatrix, block(p, Layout.WIH, G, E3), false, false, rows, E3);
        reluBackward(dA3, a3);
        // Encoder.
        float[] dA2 = denseBackward(p, Layout.W3, Layout.B3, a2, dA3, rows, E2, E3, grad, null);
        reluBackward(dA2, a2);
        float[] dA1 = denseBackward(p, Layout.W2, Layout.B2, a1, dA2, rows, E1, E2, grad, null);
        reluBackward(dA1, a1);
        denseBackward(p, Layout.W1, Layout.B1, x, dA1, rows, IN, E1, grad, Boolean.FALSE);
    }

    /**
     * Loss and gradient of one mini-batch: the summed NLL (nats) is returned, the gradient of the
     * mean NLL per profile (the sum divided by {@code batch}) is added into {@code grad}.
     */
    double lossAndGradient(float[] p, float[] inputs, float[] targets, int batch, int steps, float[] grad) {
        return lossAndGradient(p, inputs, targets, batch, steps, grad, 1.0 / batch);
    }

    /** As above with the gradient of the summed NLL scaled by {@code gradientScale}. */
    double lossAndGradient(float[] p, float[] inputs, float[] targets, int batch, int steps, float[] grad,
            double gradientScale) {
        forward(p, inputs, batch, steps);
        float[] dOut = new float[batch * steps * OUT];
        double loss = loss(targets, dOut, gradientScale);
        backward(p, dOut, grad);
        return loss;
    }

    /** Summed NLL of a batch (no gradient). */
    double nll(float[] p, float[] inputs, float[] targets, int batch, int steps) {
        forward(p, inputs, batch, steps);
        return loss(targets, null, 0);
    }

    // ----------------------------------------------------------------------------------------
    // Building blocks

    private void ensure(int newBatch, int newSteps) {
        int rows = newBatch * newSteps;
        this.batch = newBatch;
        this.steps = newSteps;
        if (x == null || x.length < rows * IN) {
            x = new float[rows * IN];
            a1 = new float[rows * E1];
            a2 = new float[rows * E2];
            a3 = new float[rows * E3];
            gates = new float[rows * G];
            cell = new float[rows * H];
            tanhCell = new float[rows * H];
            hidden = new float[rows * H];
            d1 = new float[rows * D1];
            d2 = new float[rows * D2];
            out = new float[rows * OUT];
        }
    }

    /** y = act(x W^T + b) for x [rows, in], W [out, in] at {@code w} in p. */
    private void dense(float[] p, int w, int b, float[] in, int rows, int nIn, int nOut, float[] y,
            boolean relu) {
        float[] product = matmulTransB("in" + w, in, rows, nIn, p, w, nOut);
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < nOut; o++) {
                float v = product[r * nOut + o] + p[b + o];
                y[r * nOut + o] = relu && v < 0 ? 0 : v;
            }
        }
    }

    /**
     * Gradients of y = x W^T + b: adds dW = dY^T x and db = colsum(dY) into grad, returns dX = dY W
     * (unless {@code wantInput} is FALSE).
     */
    private float[] denseBackward(float[] p, int w, int b, float[] in, float[] dY, int rows, int nIn,
            int nOut, float[] grad, Boolean wantInput) {
        INDArray dYMatrix = matrix("dY" + w, dY, rows, nOut);
        accumulate(grad, w, gemm(dYMatrix, matrix("in" + w, in, rows, nIn), true, false, nOut, nIn));
        columnSums(dY, rows, nOut, grad, b);
        if (Boolean.FALSE.equals(wantInput)) {
            return null;
        }
        return gemm(dYMatrix, block(p, w, nOut, nIn), false, false, rows, nIn);
    }

    private static void reluBackward(float[] d, float[] activation) {
        for (int i = 0; i < d.length && i < activation.length; i++) {
            if (activation[i] <= 0) {
                d[i] = 0;
            }
        }
    }

    private static void columnSums(float[] m, int rows, int cols, float[] grad, int offset) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                grad[offset + c] += m[r * cols + c];
            }
        }
    }

    private static void accumulate(float[] grad, int offset, float[] values) {
        for (int i = 0; i < values.length; i++) {
            grad[offset + i] += values[i];
        }
    }

    /** A cached ND4J matrix per (call site, shape): no allocation or zeroing per call. */
    private INDArray slot(String name, long rows, long cols) {
        String key = name + ':' + rows + 'x' + cols;
        INDArray a = slots.get(key);
        if (a == null) {
            a = HostTransfer.matrix(rows, cols);
            slots.put(key, a);
        }
        return a;
    }

    /**
     * Copies {@code rows * cols} floats from {@code src[offset…]} into the slot's matrix with one
     * bulk copy, then tells ND4J that the host copy is the current one (on a GPU backend the
     * device copy is refreshed before the next op reads it).
     */
    private INDArray load(String name, float[] src, int offset, int rows, int cols) {
        INDArray a = slot(name, rows, cols);
        HostTransfer.put(a, src, offset, rows * cols);
        return a;
    }

    private INDArray block(float[] p, int offset, int rows, int cols) {
        return load("w" + offset, p, offset, rows, cols);
    }

    private INDArray matrix(String name, float[] a, int rows, int cols) {
        return load(name, a, 0, rows, cols);
    }

    /** op(a) · op(b) as a fresh row-major array; the product is synchronised to the host first. */
    private float[] gemm(INDArray a, INDArray b, boolean transA, boolean transB, int m, int n) {
        INDArray c = slot("product", m, n);
        Nd4j.gemm(a, b, c, transA, transB, 1.0, 0.0);
        return HostTransfer.get(c, new float[m * n]);
    }

    /** a [rows, k] · W^T for W [n, k] stored at {@code offset} in p. */
    private float[] matmulTransB(String name, float[] a, int rows, int k, float[] p, int offset, int n) {
        return gemm(matrix(name, a, rows, k), block(p, offset, n, k), false, true, rows, n);
    }
}
