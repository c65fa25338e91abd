package org.cvdplanner.nade;

import org.cvdplanner.synthesis.ConditionVector;
import org.cvdplanner.synthesis.PhaseVector;
import org.cvdplanner.synthesis.ProfileArrays;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;

/** The NADE-CVD network as a DL4J configuration, and the tensors it is trained on. */
final class NadeNetworks {

    static final int[] ENCODER = {24, 48, 72};
    static final int HIDDEN = 128;
    static final int[] DECODER = {72, 24};
    /** Raw outputs: 3 mean logits then 3 variance logits. */
    static final int OUTPUTS = 2 * PhaseVector.SIZE;
    static final int LSTM_LAYER = ENCODER.length;
    static final int OUTPUT_LAYER = ENCODER.length + 1 + DECODER.length;
    /** Initial variance of the learned head, before training (softplus^-1 of ~0.01). */
    static final double INITIAL_VARIANCE_LOGIT = Math.log(Math.expm1(0.01));

    private NadeNetworks() {
    }

    static MultiLayerConfiguration configuration(NadeHyperParameters hp, DataType dataType, IUpdater updater) {
        NeuralNetConfiguration.Builder builder = new NeuralNetConfiguration.Builder()
                .seed(hp.seed())
                .dataType(dataType)
                .updater(updater)
                .weightInit(WeightInit.XAVIER)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED);
        if (hp.gradientClipNorm() > 0) {
            builder.gradientNormalization(GradientNormalization.ClipL2PerLayer)
                    .gradientNormalizationThreshold(hp.gradientClipNorm());
        }
        NeuralNetConfiguration.ListBuilder list = builder.list();
        for (int width : ENCODER) {
            list.layer(new DenseLayer.Builder().nOut(width).activation(Activation.RELU).build());
        }
        list.layer(new LSTM.Builder().nOut(HIDDEN).activation(Activation.TANH).gateActivationFunction(Activation.SIGMOID)
                .forgetGateBiasInit(1.0).build());
        for (int width : DECODER) {
            list.layer(new DenseLayer.Builder().nOut(width).activation(Activation.RELU).build());
        }
        list.layer(new RnnOutputLayer.Builder(new GaussianNllLoss(hp.varianceFloor(), hp.fixedVariance()))
                .nOut(OUTPUTS).activation(Activation.IDENTITY).dataFormat(RNNFormat.NCW).build());
        return list.setInputType(InputType.recurrent(NadeNormaliser.INPUTS, RNNFormat.NCW)).build();
    }

    /** A freshly initialised network; the variance head starts near 0.01. */
    static MultiLayerNetwork create(NadeHyperParameters hp, DataType dataType) {
        return create(hp, dataType, new Adam(hp.learningRate()));
    }

    static MultiLayerNetwork create(NadeHyperParameters hp, DataType dataType, IUpdater updater) {
        MultiLayerNetwork net = new MultiLayerNetwork(configuration(hp, dataType, updater));
        net.init();
        INDArray bias = net.getLayer(OUTPUT_LAYER).getParam("b");
        for (int k = 0; k < PhaseVector.SIZE; k++) {
            bias.putScalar(PhaseVector.SIZE + k, INITIAL_VARIANCE_LOGIT);
        }
        return net;
    }

    /** The Gaussian NLL loss of a NADE-CVD network's output layer. */
    static GaussianNllLoss loss(MultiLayerNetwork net) {
        if (net.getnLayers() == OUTPUT_LAYER + 1
                && net.getLayer(OUTPUT_LAYER).conf().getLayer() instanceof BaseOutputLayer output
                && output.getLossFn() instanceof GaussianNllLoss loss) {
            return loss;
        }
        throw new IllegalArgumentException("not a NADE-CVD network: the output layer has no Gaussian NLL loss");
    }

    /**
     * Features [n, 7, steps-1] (normalised [Z_t, X_t]) and labels [n, 3, steps-1] (Z_{t+1}) of
     * the given profiles, in NCW layout.
     */
    static DataSet dataSet(ProfileArrays data, int[] profiles, int from, int to, NadeNormaliser normaliser,
            DataType dataType) {
        int n = to - from;
        int steps = data.steps() - 1;
        int in = NadeNormaliser.INPUTS;
        float[] scale = normaliser.scales();
        float[] offset = normaliser.offsets();
        float[] features = new float[n * in * steps];
        float[] labels = new float[n * PhaseVector.SIZE * steps];
        float[] x = data.conditions();
        float[] z = data.phases();
        for (int i = 0; i < n; i++) {
            int p = profiles == null ? from + i : profiles[from + i];
            for (int t = 0; t < steps; t++) {
                int zRow = (p * data.steps() + t) * PhaseVector.SIZE;
                int xRow = (p * data.steps() + t) * ConditionVector.SIZE;
                for (int k = 0; k < PhaseVector.SIZE; k++) {
                    features[(i * in + k) * steps + t] = z[zRow + k] * scale[k] + offset[k];
                    labels[(i * PhaseVector.SIZE + k) * steps + t] = z[zRow + PhaseVector.SIZE + k];
                }
                for (int c = 0; c < ConditionVector.SIZE; c++) {
                    int f = PhaseVector.SIZE + c;
                    features[(i * in + f) * steps + t] = x[xRow + c] * scale[f] + offset[f];
                }
            }
        }
        INDArray f = Nd4j.create(features, new long[] {n, in, steps}, 'c');
        INDArray l = Nd4j.create(labels, new long[] {n, PhaseVector.SIZE, steps}, 'c');
        if (dataType != DataType.FLOAT) {
            f = f.castTo(dataType);
            l = l.castTo(dataType);
        }
        return new DataSet(f, l);
    }
}
