package org.cvdplanner.agent;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * The policy network as a DL4J {@link ComputationGraph}: the NADE state (128) → 72 → 24 (ReLU),
 * then two heads on the 24 units: the action mean μ (4, identity, {@link PolicyGradientLoss})
 * and the state value V (1, identity, {@link SmoothL1Loss}). No dropout: the policy that acts
 * in the rollout must be the one whose log-probability is differentiated.
 */
final class PolicyNetworks {

    static final int STATE = 128;
    static final int[] HIDDEN = {72, 24};
    static final int ACTIONS = 4;
    static final String INPUT = "state";
    static final String[] HIDDEN_NAMES = {"hidden1", "hidden2"};
    static final String MEAN = "actionMean";
    static final String VALUE = "value";

    private PolicyNetworks() {
    }

    static ComputationGraphConfiguration configuration(AgentHyperParameters hp) {
        return configuration(hp, DataType.FLOAT, new Adam(hp.learningRate()));
    }

    static ComputationGraphConfiguration configuration(AgentHyperParameters hp, DataType dataType, IUpdater updater) {
        ComputationGraphConfiguration.GraphBuilder graph = new NeuralNetConfiguration.Builder()
                .seed(hp.seed())
                .dataType(dataType)
                .updater(updater)
                .weightInit(WeightInit.XAVIER)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .graphBuilder()
                .addInputs(INPUT)
                .setInputTypes(InputType.feedForward(STATE));
        String previous = INPUT;
        for (int l = 0; l < HIDDEN.length; l++) {
            graph.addLayer(HIDDEN_NAMES[l], new DenseLayer.Builder().nOut(HIDDEN[l]).activation(Activation.RELU).build(),
                    previous);
            previous = HIDDEN_NAMES[l];
        }
        graph.addLayer(MEAN, new OutputLayer.Builder(new PolicyGradientLoss(hp.sigma())).nOut(ACTIONS)
                .activation(Activation.IDENTITY).weightInit(WeightInit.XAVIER).build(), previous);
        graph.addLayer(VALUE, new OutputLayer.Builder(new SmoothL1Loss(hp.valueLossWeight())).nOut(1)
                .activation(Activation.IDENTITY).build(), previous);
        return graph.setOutputs(MEAN, VALUE).build();
    }

    /** A freshly initialised network; the action-mean head starts at a tenth of its Xavier scale (μ ≈ 0). */
    static ComputationGraph create(AgentHyperParameters hp) {
        return create(configuration(hp));
    }

    static ComputationGraph create(ComputationGraphConfiguration configuration) {
        ComputationGraph net = new ComputationGraph(configuration);
        net.init();
        net.getLayer(MEAN).getParam("W").muli(0.1);
        return net;
    }

    static byte[] write(ComputationGraph net, boolean withUpdater) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
        try {
            ModelSerializer.writeModel(net, out, withUpdater);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static ComputationGraph read(byte[] bytes, boolean withUpdater) {
        try {
            return ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bytes), withUpdater);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
