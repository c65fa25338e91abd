package org.cvdplanner.nade;

import java.util.Arrays;
import java.util.random.RandomGenerator;

import org.cvdplanner.synthesis.ConditionVector;
import org.cvdplanner.synthesis.PhaseVector;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A batch of b autoregressive NADE-CVD rollouts that carry their LSTM state from step to step:
 * each {@link #step} consumes [Z_t, X_t] for every row (raw, un-normalised values), advances
 * the LSTM once and returns the Gaussian over Z_{t+1} together with the hidden state h_t. The
 * prefix is never re-run.
 *
 * <p>Typical use (the agent's environment, or a Monte-Carlo forecast):
 * <pre>{@code
 * NadeRollout rollout = model.newRollout(32);
 * float[] z = rollout.initialPhases();          // Z_0 = (0, 0, 1) in every row
 * for (int t = 0; t < steps - 1; t++) {
 *     StepOutput out = rollout.step(z, x[t]);    // x[t]: flat [32 * 4] conditions of step t
 *     float[] state = out.hiddenFlat();          // [32 * 128], the agent's s_t
 *     z = rollout.sample(out, rng);              // Z_{t+1}, or out.meanFlat() for the mean path
 * }
 * }</pre>
 *
 * <p>One step costs one ND4J gemm (the LSTM gates, [512 x 200] x [200 x b]) and plain-Java
 * loops over the batch for everything else; the state is kept feature-major (unit-by-row) so
 * those loops run over contiguous rows and vectorise. Not thread-safe: use one rollout per
 * thread (the model behind it is shared and immutable). {@link #copy()} branches a rollout.
 */
public final class NadeRollout {

    private static final int H = NadeNetworks.HIDDEN;
    private static final int GATES = 4 * H;
    private static final int PHASES = PhaseVector.SIZE;
    private static final int CONDITIONS = ConditionVector.SIZE;
    private static final int INPUTS = NadeNormaliser.INPUTS;
    /** Below this batch the dense layers stay in Java (a gemm call costs more than it saves). */
    static final int GEMM_MIN_BATCH = 16;

    private final NadeWeights weights;
    private final int batch;
    private final int encoderOut;
    /** [e_t; h_{t-1}] feature-major: rows 0..encoderOut-1 the encoder output, then h. */
    private final float[] stacked;
    /** Cell state, feature-major [H][batch]. */
    private final float[] c;
    private int steps;

    // scratch, feature-major
    private final float[] input;
    private final float[][] activations;
    /** Per dense layer: whether ND4J (a gemm) computes it rather than Java loops. */
    private final boolean[] denseOnNd4j;
    /** C-ordered inputs and outputs of the gemms (the LSTM's [200 x b] and [512 x b], per ND4J dense layer [in x b], [out x b]). */
    private final INDArray lstmIn;
    private final INDArray lstmOut;
    /** The gate pre-activations [512][b] as they come back from the gemm, then the gates. */
    private final float[] gateScratch;
    private final INDArray[] denseIn;
    private final INDArray[] denseOut;
    /** Multipliers of the predicted variance when sampling (the model's calibration), per phase. */
    private final float[] varianceScale;

    NadeRollout(NadeWeights weights, int batch) {
        this(weights, batch, null);
    }

    NadeRollout(NadeWeights weights, int batch, float[] varianceScale) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1");
        }
        this.weights = weights;
        this.batch = batch;
        this.varianceScale = varianceScale == null ? null : varianceScale.clone();
        this.encoderOut = weights.encoderOut();
        stacked = new float[(encoderOut + H) * batch];
        c = new float[H * batch];
        input = new float[INPUTS * batch];
        activations = new float[weights.w.length][];
        for (int l = 0; l < weights.w.length; l++) {
            activations[l] = new float[weights.out[l] * batch];
        }
        int layers = weights.w.length;
        denseOnNd4j = new boolean[layers];
        denseIn = new INDArray[layers];
        denseOut = new INDArray[layers];
        for (int l = 0; l < layers; l++) {
            denseOnNd4j[l] = weights.wt[l] != null && batch >= GEMM_MIN_BATCH;
            if (denseOnNd4j[l]) {
                denseIn[l] = HostTransfer.matrix(weights.in[l], batch);
                denseOut[l] = HostTransfer.matrix(weights.out[l], batch);
            }
        }
        lstmIn = HostTransfer.matrix(encoderOut + H, batch);
        lstmOut = HostTransfer.matrix(GATES, batch);
        gateScratch = new float[GATES * batch];
    }

    private NadeRollout(NadeRollout other) {
        this(other.weights, other.batch, other.varianceScale);
        System.arraycopy(other.stacked, 0, stacked, 0, stacked.length);
        System.arraycopy(other.c, 0, c, 0, c.length);
        steps = other.steps;
    }

    public int batchSize() {
        return batch;
    }

    /** How many steps this rollout has consumed since creation or {@link #reset()}. */
    public int stepsTaken() {
        return steps;
    }

    /** Z_0 = (0, 0, 1) for every row, flat [b * 3]. */
    public float[] initialPhases() {
        float[] z = new float[batch * PHASES];
        for (int i = 0; i < batch; i++) {
            z[i * PHASES + 2] = 1f;
        }
        return z;
    }

    /** Zeroes the LSTM state: the next step is step 0 again. */
    public void reset() {
        Arrays.fill(stacked, 0f);
        Arrays.fill(c, 0f);
        steps = 0;
    }

    /** A new rollout with this one's state (the two then evolve independently). */
    public NadeRollout copy() {
        return new NadeRollout(this);
    }

    /** The current hidden state h, flat row-major [b * 128] (a copy). */
    public float[] hiddenState() {
        return rowMajor(stacked, encoderOut * batch, H);
    }

    /** The current LSTM cell state c, flat row-major [b * 128] (a copy; the agent's state includes it). */
    public float[] cellState() {
        return rowMajor(c, 0, H);
    }

    /** Consumes [Z_t, X_t] given as [b][3] and [b][4]. */
    public StepOutput step(float[][] z, float[][] x) {
        if (z.length != batch || x.length != batch) {
            throw new IllegalArgumentException("expected " + batch + " rows, got z " + z.length + " and x " + x.length);
        }
        float[] zf = new float[batch * PHASES];
        float[] xf = new float[batch * CONDITIONS];
        for (int i = 0; i < batch; i++) {
            if (z[i].length != PHASES || x[i].length != CONDITIONS) {
                throw new IllegalArgumentException("row " + i + ": z needs 3 values and x 4");
            }
            System.arraycopy(z[i], 0, zf, i * PHASES, PHASES);
            System.arraycopy(x[i], 0, xf, i * CONDITIONS, CONDITIONS);
        }
        return step(zf, xf);
    }

    /**
     * Consumes [Z_t, X_t] for every row: z flat [b * 3] (phase fractions), x flat [b * 4]
     * (temperature K, S2, H2, H2S). Returns the Gaussian over Z_{t+1} and h_t.
     */
    public StepOutput step(float[] z, float[] x) {
        if (z.length != batch * PHASES || x.length != batch * CONDITIONS) {
            throw new IllegalArgumentException("expected z of " + batch * PHASES + " and x of " + batch * CONDITIONS
                    + " values, got " + z.length + " and " + x.length);
        }
        NadeWeights wt = weights;
        int b = batch;
        for (int k = 0; k < PHASES; k++) {
            float scale = wt.scale[k];
            float offset = wt.offset[k];
            int o = k * b;
            for (int i = 0; i < b; i++) {
                input[o + i] = z[i * PHASES + k] * scale + offset;
            }
        }
        for (int k = 0; k < CONDITIONS; k++) {
            float scale = wt.scale[PHASES + k];
            float offset = wt.offset[PHASES + k];
            int o = (PHASES + k) * b;
            for (int i = 0; i < b; i++) {
                input[o + i] = x[i * CONDITIONS + k] * scale + offset;
            }
        }
        // encoder; the last layer writes straight into the top of [e; h]
        int encoderLayers = NadeNetworks.ENCODER.length;
        float[] a = input;
        for (int l = 0; l < encoderLayers; l++) {
            float[] y = l == encoderLayers - 1 ? stacked : activations[l];
            dense(l, a, 0, y, true);
            a = y;
        }
        // LSTM gates^T = Wt [512 x 200] * [e; h] [200 x b]: one gemm
        float[] gates = gemm(wt.lstmWt, stacked, lstmIn, lstmOut, gateScratch);
        float[] bias = wt.lstmB;
        // One activation per pass over a contiguous gate row, then the cell update: loops this
        // simple vectorise (about 4x faster than one loop doing all five activations per unit).
        for (int j = 0; j < GATES; j++) {
            float bj = bias[j];
            int o = j * b;
            if (j < H) {
                for (int i = 0; i < b; i++) {
                    gates[o + i] = FastMath.tanh(gates[o + i] + bj);
                }
            } else {
                for (int i = 0; i < b; i++) {
                    gates[o + i] = FastMath.sigmoid(gates[o + i] + bj);
                }
            }
        }
        int hBase = encoderOut * b;
        for (int j = 0; j < H; j++) {
            int gBlock = j * b;
            int gForget = (H + j) * b;
            int gOutput = (2 * H + j) * b;
            int gInput = (3 * H + j) * b;
            int s = j * b;
            int hs = hBase + s;
            for (int i = 0; i < b; i++) {
                c[s + i] = gates[gForget + i] * c[s + i] + gates[gInput + i] * gates[gBlock + i];
            }
            for (int i = 0; i < b; i++) {
                stacked[hs + i] = gates[gOutput + i] * FastMath.tanh(c[s + i]);
            }
        }
        // decoder and heads, reading h where it lives
        int last = wt.w.length - 1;
        a = stacked;
        int aFrom = hBase;
        for (int l = encoderLayers; l <= last; l++) {
            dense(l, a, aFrom, activations[l], l < last);
            a = activations[l];
            aFrom = 0;
        }
        float[] mean = new float[b * PHASES];
        float[] variance = new float[b * PHASES];
        heads(a, mean, variance);
        steps++;
        return new StepOutput(b, mean, variance, rowMajor(stacked, hBase, H));
    }

    /** Softmax mean and softplus (+ floor) or fixed variance from the raw output [6][b]. */
    private void heads(float[] raw, float[] mean, float[] variance) {
        double fixed = weights.fixedVariance;
        double floor = weights.varianceFloor;
        double[] m = new double[PHASES];
        int b = batch;
        for (int i = 0; i < b; i++) {
            GaussianNllLoss.softmax3(raw[i], raw[b + i], raw[2 * b + i], m, 0);
            for (int k = 0; k < PHASES; k++) {
                mean[i * PHASES + k] = (float) m[k];
                variance[i * PHASES + k] = (float) (fixed > 0 ? fixed
                        : GaussianNllLoss.softplus(raw[(PHASES + k) * b + i]) + floor);
            }
        }
    }

    /**
     * Dense layer {@code l} for the whole batch, feature-major: x [in][b], y [out][b] (read from
     * {@code xFrom}, written from offset 0). Big layers run as one ND4J gemm, then bias and ReLU in Java.
     */
    private void dense(int l, float[] x, int xFrom, float[] y, boolean relu) {
        NadeWeights wt = weights;
        if (!denseOnNd4j[l]) {
            javaDense(x, xFrom, wt.w[l], wt.b[l], wt.in[l], wt.out[l], y, relu);
            return;
        }
        int b = batch;
        int out = wt.out[l];
        HostTransfer.put(denseIn[l], x, xFrom, (int) denseIn[l].length());
        Nd4j.gemm(wt.wt[l], denseIn[l], denseOut[l], false, false, 1.0, 0.0);
        HostTransfer.get(denseOut[l], y, out * b);
        float[] bias = wt.b[l];
        for (int j = 0; j < out; j++) {
            float bj = bias[j];
            int o = j * b;
            if (relu) {
                for (int i = 0; i < b; i++) {
                    y[o + i] = Math.max(y[o + i] + bj, 0f);
                }
            } else {
                for (int i = 0; i < b; i++) {
                    y[o + i] += bj;
                }
            }
        }
    }

    /**
     * W [out x rows] times x (the first rows * b values of {@code x}, [rows x b] row-major) with
     * ND4J: x goes into {@code input} (c-ordered [rows x b]) and the product comes back from
     * {@code result} through {@link HostTransfer}, whose bulk copies keep host and device copies
     * in sync on every backend.
     */
    private float[] gemm(INDArray w, float[] x, INDArray input, INDArray result, float[] into) {
        HostTransfer.put(input, x, 0, (int) input.length());
        Nd4j.gemm(w, input, result, false, false, 1.0, 0.0);
        return HostTransfer.get(result, into);
    }

    /**
     * y = act(W^T x + bias) in plain Java, feature-major: x [in][b], y [out][b], W row-major
     * [in][out]. Four inputs per pass over a row of y.
     */
    private void javaDense(float[] x, int xFrom, float[] w, float[] bias, int in, int out, float[] y, boolean relu) {
        int b = batch;
        for (int j = 0; j < out; j++) {
            int yo = j * b;
            Arrays.fill(y, yo, yo + b, bias[j]);
            int k = 0;
            for (; k + 3 < in; k += 4) {
                float w0 = w[k * out + j];
                float w1 = w[(k + 1) * out + j];
                float w2 = w[(k + 2) * out + j];
                float w3 = w[(k + 3) * out + j];
                int x0 = xFrom + k * b;
                int x1 = x0 + b;
                int x2 = x1 + b;
                int x3 = x2 + b;
                for (int i = 0; i < b; i++) {
                    y[yo + i] += w0 * x[x0 + i] + w1 * x[x1 + i] + w2 * x[x2 + i] + w3 * x[x3 + i];
                }
            }
            for (; k < in; k++) {
                float wk = w[k * out + j];
                int xo = xFrom + k * b;
                for (int i = 0; i < b; i++) {
                    y[yo + i] += wk * x[xo + i];
                }
            }
            if (relu) {
                for (int i = 0; i < b; i++) {
                    y[yo + i] = Math.max(y[yo + i], 0f);
                }
            }
        }
    }

    /** Row-major [b][width] copy of a feature-major block [width][b] starting at {@code from}. */
    private float[] rowMajor(float[] featureMajor, int from, int width) {
        float[] out = new float[batch * width];
        for (int u = 0; u < width; u++) {
            int o = from + u * batch;
            for (int i = 0; i < batch; i++) {
                out[i * width + u] = featureMajor[o + i];
            }
        }
        return out;
    }

    /**
     * Draws Z_{t+1} for every row on the simplex with the predicted mean and, for the two minor
     * phases, the predicted variance (times the model's calibration factor): moment-matched
     * Gaussians clipped at 0, the dominant phase the remainder, see {@link Simplex#sample}. Every
     * draw is a valid phase vector and the draws' mean is the predicted mean (no clipping bias).
     * Flat [b * 3].
     */
    public float[] sample(StepOutput out, RandomGenerator rng) {
        float[] z = new float[out.batchSize() * PHASES];
        for (int i = 0; i < out.batchSize(); i++) {
            sample(out, i, rng, z);
        }
        return z;
    }

    /**
     * Draws Z_{t+1} of row {@code row} only, as {@link #sample(StepOutput, RandomGenerator)} does,
     * into {@code into[row * 3 .. row * 3 + 2]}: for callers that give every row its own stream.
     */
    public void sample(StepOutput out, int row, RandomGenerator rng, float[] into) {
        Simplex.sample(out.meanFlat(), out.varianceFlat(), varianceScale, row * PHASES, rng, into);
    }
}
