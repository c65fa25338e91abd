package org.cvdplanner.nade;

import org.cvdplanner.synthesis.PhaseVector;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The trained parameters laid out for fast stepping: dense layers as row-major float arrays
 * (w[in * out + o]), the LSTM's input and recurrent weights stacked into one [72 + 128, 512]
 * ND4J matrix so one gemm per step computes all gate pre-activations. Immutable, shared by all
 * rollouts of a model.
 */
final class NadeWeights {

    final float[] scale;
    final float[] offset;
    /** Dense layers: encoder 0..2, then decoder 0..1, then the output layer. */
    final float[][] w;
    final float[][] b;
    final int[] in;
    final int[] out;
    /**
     * The LSTM's stacked weights transposed: [4 * HIDDEN, ENCODER_OUT + HIDDEN], c order, so
     * gates^T = lstmWt * [e; h]^T in feature-major layout. Gate blocks as DL4J: block input,
     * forget, output, input gate.
     */
    final INDArray lstmWt;
    /**
     * Dense layers big enough to be worth an ND4J gemm (in x out >= {@link #GEMM_MIN_WEIGHTS}):
     * their weights transposed, [out, in] c order; null for the small ones, done in Java.
     */
    final INDArray[] wt;
    static final int GEMM_MIN_WEIGHTS = 1000;
    final float[] lstmB;
    final double fixedVariance;
    final double varianceFloor;

    NadeWeights(MultiLayerNetwork net, NadeNormaliser normaliser, double fixedVariance, double varianceFloor) {
        this.scale = normaliser.scales();
        this.offset = normaliser.offsets();
        int layers = NadeNetworks.ENCODER.length + NadeNetworks.DECODER.length + 1;
        w = new float[layers][];
        b = new float[layers][];
        in = new int[layers];
        out = new int[layers];
        int dense = 0;
        for (int l = 0; l < net.getnLayers(); l++) {
            if (l == NadeNetworks.LSTM_LAYER) {
                continue;
            }
            float[][] matrix = net.getLayer(l).getParam("W").castTo(DataType.FLOAT).toFloatMatrix();
            in[dense] = matrix.length;
            out[dense] = matrix[0].length;
            w[dense] = flatten(matrix);
            b[dense] = net.getLayer(l).getParam("b").castTo(DataType.FLOAT).toFloatVector();
            dense++;
        }
        wt = new INDArray[layers];
        for (int l = 0; l < layers; l++) {
            if (in[l] * out[l] >= GEMM_MIN_WEIGHTS) {
                float[] t = new float[in[l] * out[l]];
                for (int k = 0; k < in[l]; k++) {
                    for (int j = 0; j < out[l]; j++) {
                        t[j * in[l] + k] = w[l][k * out[l] + j];
                    }
                }
                wt[l] = Nd4j.create(t, new long[] {out[l], in[l]}, 'c');
            }
        }
        float[][] wx = net.getLayer(NadeNetworks.LSTM_LAYER).getParam("W").castTo(DataType.FLOAT).toFloatMatrix();
        float[][] wh = net.getLayer(NadeNetworks.LSTM_LAYER).getParam("RW").castTo(DataType.FLOAT).toFloatMatrix();
        int gates = 4 * NadeNetworks.HIDDEN;
        int inputs = wx.length + wh.length;
        float[] transposed = new float[gates * inputs];
        for (int g = 0; g < gates; g++) {
            for (int r = 0; r < wx.length; r++) {
                transposed[g * inputs + r] = wx[r][g];
            }
            for (int r = 0; r < wh.length; r++) {
                transposed[g * inputs + wx.length + r] = wh[r][g];
            }
        }
        lstmWt = Nd4j.create(transposed, new long[] {gates, inputs}, 'c');
        lstmB = net.getLayer(NadeNetworks.LSTM_LAYER).getParam("b").castTo(DataType.FLOAT).toFloatVector();
        this.fixedVariance = fixedVariance;
        this.varianceFloor = varianceFloor;
        if (out[out.length - 1] != 2 * PhaseVector.SIZE) {
            throw new IllegalStateException("unexpected output width " + out[out.length - 1]);
        }
    }

    int encoderOut() {
        return out[NadeNetworks.ENCODER.length - 1];
    }

    private static float[] flatten(float[][] m) {
        int cols = m[0].length;
        float[] f = new float[m.length * cols];
        for (int r = 0; r < m.length; r++) {
            System.arraycopy(m[r], 0, f, r * cols, cols);
        }
        return f;
    }
}
