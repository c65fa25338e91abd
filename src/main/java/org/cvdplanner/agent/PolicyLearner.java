package org.cvdplanner.agent;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One REINFORCE-with-baseline update on DL4J: the whole batch of (state, action, advantage,
 * return) rows in one forward/backward pass of the {@link ComputationGraph}, the gradient
 * averaged over the rows, clipped to a global L2 norm (like PyTorch's clip_grad_norm_, which
 * DL4J's per-layer clipping is not), then Adam. Holds the network; not thread-safe.
 */
final class PolicyLearner {

    /** What one update measured. */
    record UpdateStats(double policyLoss, double valueLoss, double gradientNorm) {
    }

    private final ComputationGraph net;
    private final AgentHyperParameters hp;

    PolicyLearner(ComputationGraph net, AgentHyperParameters hp) {
        this.net = net;
        this.hp = hp;
    }

    ComputationGraph network() {
        return net;
    }

    /**
     * @param states rows × 128
     * @param actions rows × 4 (the actions taken)
     * @param advantages rows
     * @param returns rows
     * @param values V(s) of the rows as the rollout computed them (same parameters), for reporting
     * @param iteration 0-based update number (Adam's bias correction)
     */
    UpdateStats update(float[] states, float[] actions, float[] advantages, float[] returns, float[] values, int rows,
            int iteration) {
        INDArray features = Nd4j.create(states, new long[] {rows, PolicyNetworks.STATE}, 'c');
        float[] meanLabels = new float[rows * (PolicyNetworks.ACTIONS + 1)];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(actions, r * PolicyNetworks.ACTIONS, meanLabels, r * (PolicyNetworks.ACTIONS + 1),
                    PolicyNetworks.ACTIONS);
            meanLabels[r * (PolicyNetworks.ACTIONS + 1) + PolicyNetworks.ACTIONS] = advantages[r];
        }
        INDArray labelsMean = Nd4j.create(meanLabels, new long[] {rows, PolicyNetworks.ACTIONS + 1}, 'c');
        INDArray labelsValue = Nd4j.create(returns, new long[] {rows, 1}, 'c');
        net.setInputs(features);
        net.setLabels(labelsMean, labelsValue);
        net.computeGradientAndScore();
        double score = net.score();
        Gradient gradient = net.gradient();
        INDArray g = gradient.gradient();
        g.divi(rows);
        double norm = g.norm2Number().doubleValue();
        if (hp.gradientClipNorm() > 0 && norm > hp.gradientClipNorm()) {
            g.muli(hp.gradientClipNorm() / norm);
        }
        // the gradient is already averaged: the updater's own division by the batch size is by 1
        net.getUpdater().update(gradient, iteration, 0, 1, LayerWorkspaceMgr.noWorkspaces());
        net.params().subi(g);
        net.clearLayerMaskArrays();
        // score() is the sum of both heads' mean losses; split it for reporting
        double valueLoss = valueLoss(values, returns, rows);
        return new UpdateStats(score - valueLoss, valueLoss, norm);
    }

    private double valueLoss(float[] values, float[] returns, int rows) {
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            double d = Math.abs(values[r] - returns[r]);
            sum += d < 1 ? 0.5 * d * d : d - 0.5;
        }
        return hp.valueLossWeight() * sum / rows;
    }
}
