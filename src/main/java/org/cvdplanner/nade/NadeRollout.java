package org.cvdplanner.nade;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
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
 * <p>One step costs one ND4J gemm (the LSTM gates) and plain-Java loops for the small dense
 * layers. Not thread-safe: use one rollout per thread (the model behind it is shared and
 * immutable). {@link #copy()} branches a rollout with the same state.
 */
public final class NadeRollout {

    private static final int H = NadeNetworks.HIDDEN;
    private static final int GATES = 4 * H;
    private static final int PHASES = PhaseVector.SIZE;
    private static final int CONDITIONS = ConditionVector.SIZE;

    private final NadeWeights weights;
    private final int batch;
    private final int encoderOut;
    private final int lstmInputs;
    private final float[] h;
    private final float[] c;
    private int steps;

    // scratch
    private final float[] input;
    private final float[][] activations;
    private final float[] lstmRow;
    private final float[] gates;
    private final INDArray lstmIn;
    private final INDArray lstmOut;
    private final FloatBuffer lstmInBuffer;
    private final FloatBuffer lstmOutBuffer;

    NadeRollout(NadeWeights weights, int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1");
        }
        this.weights = weights;
        this.batch = batch;
        this.encoderOut = weights.encoderOut();
        this.lstmInputs = encoderOut + H;
        h = new float[batch * H];
        c = new float[batch * H];
        input = new float[batch * NadeNormaliser.INPUTS];
        activations = new float[weights.w.length][];
        for (int l = 0; l < weights.w.length; l++) {
            activations[l] = new float[batch * weights.out[l]];
        }
        lstmRow = new float[batch * lstmInputs];
        gates = new float[batch * GATES];
        lstmIn = Nd4j.create(DataType.FLOAT, new long[] {batch, lstmInputs}, 'c');
        lstmOut = Nd4j.create(DataType.FLOAT, new long[] {batch, GATES}, 'c');
        lstmInBuffer = lstmIn.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
        lstmOutBuffer = lstmOut.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    private NadeRollout(NadeRollout other) {
        this(other.weights, other.batch);
        System.arraycopy(other.h, 0, h, 0, h.length);
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
        Arrays.fill(h, 0f);
        Arrays.fill(c, 0f);
        steps = 0;
    }

    /** A new rollout with this one's state (the two then evolve independently). */
    public NadeRollout copy() {
        return new NadeRollout(this);
    }

    /** The current hidden state h, flat [b * 128] (a copy). */
    public float[] hiddenState() {
        return h.clone();
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
        int inputs = NadeNormaliser.INPUTS;
        for (int i = 0; i < batch; i++) {
            for (int k = 0; k < PHASES; k++) {
                input[i * inputs + k] = z[i * PHASES + k] * wt.scale[k] + wt.offset[k];
            }
            for (int k = 0; k < CONDITIONS; k++) {
                int f = PHASES + k;
                input[i * inputs + f] = x[i * CONDITIONS + k] * wt.scale[f] + wt.offset[f];
            }
        }
        // encoder
        int encoderLayers = NadeNetworks.ENCODER.length;
        float[] a = input;
        for (int l = 0; l < encoderLayers; l++) {
            dense(a, wt.w[l], wt.b[l], wt.in[l], wt.out[l], activations[l], true);
            a = activations[l];
        }
        // LSTM: gates = [e, h] * W + b, one gemm
        for (int i = 0; i < batch; i++) {
            System.arraycopy(a, i * encoderOut, lstmRow, i * lstmInputs, encoderOut);
            System.arraycopy(h, i * H, lstmRow, i * lstmInputs + encoderOut, H);
        }
        lstmInBuffer.clear();
        lstmInBuffer.put(lstmRow);
        Nd4j.gemm(lstmIn, wt.lstmW, lstmOut, false, false, 1.0, 0.0);
        lstmOutBuffer.clear();
        lstmOutBuffer.get(gates);
        float[] bias = wt.lstmB;
        for (int i = 0; i < batch; i++) {
            int g = i * GATES;
            int s = i * H;
            for (int j = 0; j < H; j++) {
                float blockInput = FastMath.tanh(gates[g + j] + bias[j]);
                float forget = FastMath.sigmoid(gates[g + H + j] + bias[H + j]);
                float output = FastMath.sigmoid(gates[g + 2 * H + j] + bias[2 * H + j]);
                float inputGate = FastMath.sigmoid(gates[g + 3 * H + j] + bias[3 * H + j]);
                float cell = forget * c[s + j] + inputGate * blockInput;
                c[s + j] = cell;
                h[s + j] = output * FastMath.tanh(cell);
            }
        }
        // decoder and heads
        a = h;
        int last = wt.w.length - 1;
        for (int l = encoderLayers; l <= last; l++) {
            dense(a, wt.w[l], wt.b[l], wt.in[l], wt.out[l], activations[l], l < last);
            a = activations[l];
        }
        float[] mean = new float[batch * PHASES];
        float[] variance = new float[batch * PHASES];
        heads(a, mean, variance);
        steps++;
        return new StepOutput(batch, mean, variance, h.clone());
    }

    private void heads(float[] raw, float[] mean, float[] variance) {
        double fixed = weights.fixedVariance;
        double floor = weights.varianceFloor;
        double[] m = new double[PHASES];
        for (int i = 0; i < batch; i++) {
            int o = i * 2 * PHASES;
            GaussianNllLoss.softmax3(raw[o], raw[o + 1], raw[o + 2], m, 0);
            for (int k = 0; k < PHASES; k++) {
                mean[i * PHASES + k] = (float) m[k];
                variance[i * PHASES + k] = (float) (fixed > 0 ? fixed
                        : GaussianNllLoss.softplus(raw[o + PHASES + k]) + floor);
            }
        }
    }

    /** y = act(x W + b) for all rows; W row-major [in, out]. */
    private void dense(float[] x, float[] w, float[] b, int in, int out, float[] y, boolean relu) {
        for (int i = 0; i < batch; i++) {
            int yo = i * out;
            int xo = i * in;
            System.arraycopy(b, 0, y, yo, out);
            for (int k = 0; k < in; k++) {
                float v = x[xo + k];
                if (v == 0f) {
                    continue;
                }
                int wo = k * out;
                for (int j = 0; j < out; j++) {
                    y[yo + j] += v * w[wo + j];
                }
            }
            if (relu) {
                for (int j = 0; j < out; j++) {
                    if (y[yo + j] < 0f) {
                        y[yo + j] = 0f;
                    }
                }
            }
        }
    }

    /**
     * Draws Z_{t+1} ~ N(mean, variance) for every row and projects each draw onto the simplex
     * (Euclidean projection), so fed-back samples stay valid phase fractions. Flat [b * 3].
     */
    public float[] sample(StepOutput out, RandomGenerator rng) {
        float[] mean = out.meanFlat();
        float[] variance = out.varianceFlat();
        float[] z = new float[mean.length];
        for (int i = 0; i < mean.length; i++) {
            z[i] = (float) (mean[i] + Math.sqrt(variance[i]) * rng.nextGaussian());
        }
        for (int i = 0; i < out.batchSize(); i++) {
            Simplex.project(z, i * PHASES);
        }
        return z;
    }
}
