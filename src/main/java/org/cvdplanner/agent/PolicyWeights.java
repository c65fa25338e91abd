package org.cvdplanner.agent;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The policy network's parameters laid out for the per-step forward pass of the rollouts (μ and
 * V for a batch of states): three ND4J gemm calls per step, each layer's bias folded into its
 * weight matrix as an extra input row of ones, the two heads stacked into one [24 + 1, 5]
 * matrix; ReLU and the copies in plain Java. Measured faster than both
 * {@link ComputationGraph#output} (per-op bookkeeping) and plain-Java loops (no BLAS) at every
 * batch size we use (docs/agent.md); DL4J itself runs the batched backward pass and Adam.
 * Immutable and shareable between threads; each thread uses its own {@link Scratch}.
 */
final class PolicyWeights {

    private static final int S = PolicyNetworks.STATE;
    private static final int H1 = PolicyNetworks.HIDDEN[0];
    private static final int H2 = PolicyNetworks.HIDDEN[1];
    private static final int OUT = PolicyNetworks.ACTIONS + 1;

    /** [S + 1, H1], [H1 + 1, H2], [H2 + 1, 4 + 1]: weights with the bias as last row. */
    private final INDArray w1;
    private final INDArray w2;
    private final INDArray w3;

    PolicyWeights(ComputationGraph net) {
        w1 = augmented(param(net, PolicyNetworks.HIDDEN_NAMES[0], "W"), param(net, PolicyNetworks.HIDDEN_NAMES[0], "b"));
        w2 = augmented(param(net, PolicyNetworks.HIDDEN_NAMES[1], "W"), param(net, PolicyNetworks.HIDDEN_NAMES[1], "b"));
        float[][] wm = param(net, PolicyNetworks.MEAN, "W");
        float[][] bm = param(net, PolicyNetworks.MEAN, "b");
        float[][] wv = param(net, PolicyNetworks.VALUE, "W");
        float[][] bv = param(net, PolicyNetworks.VALUE, "b");
        float[] stacked = new float[(H2 + 1) * OUT];
        for (int r = 0; r <= H2; r++) {
            float[] mean = r < H2 ? wm[r] : bm[0];
            float[] value = r < H2 ? wv[r] : bv[0];
            System.arraycopy(mean, 0, stacked, r * OUT, OUT - 1);
            stacked[r * OUT + OUT - 1] = value[0];
        }
        w3 = Nd4j.create(stacked, new long[] {H2 + 1, OUT}, 'c');
    }

    private static float[][] param(ComputationGraph net, String layer, String name) {
        INDArray p = net.getLayer(layer).getParam(name).castTo(DataType.FLOAT);
        return p.rank() == 1 ? new float[][] {p.toFloatVector()} : p.toFloatMatrix();
    }

    private static INDArray augmented(float[][] w, float[][] b) {
        int in = w.length;
        int out = w[0].length;
        float[] flat = new float[(in + 1) * out];
        for (int r = 0; r < in; r++) {
            System.arraycopy(w[r], 0, flat, r * out, out);
        }
        System.arraycopy(b[0], 0, flat, in * out, out);
        return Nd4j.create(flat, new long[] {in + 1, out}, 'c');
    }

    /** Per-thread buffers for {@link #forward}. */
    static final class Scratch {
        final int rows;
        final float[] in1;
        final float[] a1;
        final float[] in2;
        final float[] a2;
        final float[] in3;
        final float[] out;
        final INDArray[] x = new INDArray[3];
        final INDArray[] y = new INDArray[3];
        final FloatBuffer[] xb = new FloatBuffer[3];
        final FloatBuffer[] yb = new FloatBuffer[3];

        Scratch(int rows) {
            this.rows = rows;
            in1 = new float[rows * (S + 1)];
            a1 = new float[rows * H1];
            in2 = new float[rows * (H1 + 1)];
            a2 = new float[rows * H2];
            in3 = new float[rows * (H2 + 1)];
            out = new float[rows * OUT];
            int[] ins = {S + 1, H1 + 1, H2 + 1};
            int[] outs = {H1, H2, OUT};
            for (int l = 0; l < 3; l++) {
                x[l] = Nd4j.create(DataType.FLOAT, new long[] {rows, ins[l]}, 'c');
                y[l] = Nd4j.create(DataType.FLOAT, new long[] {rows, outs[l]}, 'c');
                xb[l] = x[l].data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
                yb[l] = y[l].data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
            }
            for (int i = 0; i < rows; i++) {
                in1[i * (S + 1) + S] = 1f;
                in2[i * (H1 + 1) + H1] = 1f;
                in3[i * (H2 + 1) + H2] = 1f;
            }
        }
    }

    Scratch scratch(int rows) {
        return new Scratch(rows);
    }

    /** μ (rows × 4) and V (rows) of the states (rows × 128, row-major). */
    void forward(float[] states, int rows, Scratch s, float[] mean, float[] value) {
        if (rows != s.rows) {
            throw new IllegalArgumentException("scratch is for " + s.rows + " rows, not " + rows);
        }
        for (int i = 0; i < rows; i++) {
            System.arraycopy(states, i * S, s.in1, i * (S + 1), S);
        }
        layer(s, 0, s.in1, w1, s.a1);
        reluInto(s.a1, H1, s.in2, rows);
        layer(s, 1, s.in2, w2, s.a2);
        reluInto(s.a2, H2, s.in3, rows);
        layer(s, 2, s.in3, w3, s.out);
        for (int i = 0; i < rows; i++) {
            System.arraycopy(s.out, i * OUT, mean, i * (OUT - 1), OUT - 1);
            value[i] = s.out[i * OUT + OUT - 1];
        }
    }

    private static void layer(Scratch s, int l, float[] in, INDArray w, float[] out) {
        s.xb[l].clear();
        s.xb[l].put(in);
        Nd4j.gemm(s.x[l], w, s.y[l], false, false, 1.0, 0.0);
        s.yb[l].clear();
        s.yb[l].get(out);
    }

    /** next[i, 0..width) = max(0, a[i, ...]); next's last column (ones) stays. */
    private static void reluInto(float[] a, int width, float[] next, int rows) {
        for (int i = 0; i < rows; i++) {
            int ao = i * width;
            int no = i * (width + 1);
            for (int j = 0; j < width; j++) {
                float v = a[ao + j];
                next[no + j] = v > 0f ? v : 0f;
            }
        }
    }
}
