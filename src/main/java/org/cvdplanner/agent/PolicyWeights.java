package org.cvdplanner.agent;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The policy network's parameters copied into plain float arrays for the per-step forward pass
 * of the rollouts (μ and V for a batch of states). Measured faster than
 * {@link ComputationGraph#output} for this 128-72-24 network at every batch size we use (see
 * docs/agent.md); DL4J stays in charge of the batched backward pass and Adam. Immutable.
 */
final class PolicyWeights {

    /** Layers: hidden1, hidden2, then the two heads (μ, V) on hidden2. W row-major [in, out]. */
    private final float[][] w;
    private final float[][] b;
    private final int[] in;
    private final int[] out;

    PolicyWeights(ComputationGraph net) {
        String[] names = {PolicyNetworks.HIDDEN_NAMES[0], PolicyNetworks.HIDDEN_NAMES[1], PolicyNetworks.MEAN,
                PolicyNetworks.VALUE};
        w = new float[names.length][];
        b = new float[names.length][];
        in = new int[names.length];
        out = new int[names.length];
        for (int l = 0; l < names.length; l++) {
            float[][] m = net.getLayer(names[l]).getParam("W").castTo(DataType.FLOAT).toFloatMatrix();
            in[l] = m.length;
            out[l] = m[0].length;
            w[l] = new float[in[l] * out[l]];
            for (int r = 0; r < in[l]; r++) {
                System.arraycopy(m[r], 0, w[l], r * out[l], out[l]);
            }
            b[l] = net.getLayer(names[l]).getParam("b").castTo(DataType.FLOAT).toFloatVector();
        }
    }

    /** Scratch buffers for {@link #forward}; one per thread. */
    final class Scratch {
        final float[] h1;
        final float[] h2;

        Scratch(int rows) {
            h1 = new float[rows * out[0]];
            h2 = new float[rows * out[1]];
        }
    }

    Scratch scratch(int rows) {
        return new Scratch(rows);
    }

    /**
     * μ (rows x 4) and V (rows) of the states (rows x 128, row-major, from {@code stateOffset}
     * rows into {@code states}).
     */
    void forward(float[] states, int rows, Scratch scratch, float[] mean, float[] value) {
        dense(states, rows, 0, scratch.h1, true);
        dense(scratch.h1, rows, 1, scratch.h2, true);
        dense(scratch.h2, rows, 2, mean, false);
        dense(scratch.h2, rows, 3, value, false);
    }

    private void dense(float[] x, int rows, int layer, float[] y, boolean relu) {
        float[] wl = w[layer];
        float[] bl = b[layer];
        int n = in[layer];
        int m = out[layer];
        for (int i = 0; i < rows; i++) {
            int yo = i * m;
            int xo = i * n;
            System.arraycopy(bl, 0, y, yo, m);
            for (int k = 0; k < n; k++) {
                float v = x[xo + k];
                if (v == 0f) {
                    continue;
                }
                int wo = k * m;
                for (int j = 0; j < m; j++) {
                    y[yo + j] += v * wl[wo + j];
                }
            }
            if (relu) {
                for (int j = 0; j < m; j++) {
                    if (y[yo + j] < 0f) {
                        y[yo + j] = 0f;
                    }
                }
            }
        }
    }
}
