package org.cvdplanner.agent;

/**
 * One REINFORCE-with-baseline update: the fused forward/backward of {@link PolicyNet} over the
 * whole batch (ND4J gemms for the wide layers), the gradient clipped to a global L2 norm (like
 * PyTorch's clip_grad_norm_), then Adam in plain Java over the flat parameter array. Holds the
 * network and Adam's moments; not thread-safe.
 */
final class PolicyLearner {

    /** What one update measured. */
    record UpdateStats(double policyLoss, double valueLoss, double gradientNorm) {
    }

    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;

    private final PolicyNet net;
    private final AgentHyperParameters hp;
    final float[] m;
    final float[] v;
    private final float[] gradient = new float[PolicyNet.SIZE];

    PolicyLearner(PolicyNet net, AgentHyperParameters hp) {
        this(net, hp, new float[PolicyNet.SIZE], new float[PolicyNet.SIZE]);
    }

    PolicyLearner(PolicyNet net, AgentHyperParameters hp, float[] m, float[] v) {
        this.net = net;
        this.hp = hp;
        this.m = m;
        this.v = v;
    }

    PolicyNet network() {
        return net;
    }

    /** @param iteration 0-based update number (Adam's bias correction) */
    UpdateStats update(PolicyNet.Batch batch, double sigma, int iteration) {
        PolicyNet.Loss loss = net.loss(batch, sigma, hp.valueLossWeight(), Gemm.ND4J, gradient);
        double sq = 0;
        for (float g : gradient) {
            sq += (double) g * g;
        }
        double norm = Math.sqrt(sq);
        double scale = hp.gradientClipNorm() > 0 && norm > hp.gradientClipNorm() ? hp.gradientClipNorm() / norm : 1;
        int t = iteration + 1;
        double lr = hp.learningRate() * Math.sqrt(1 - Math.pow(BETA2, t)) / (1 - Math.pow(BETA1, t));
        float[] p = net.p;
        for (int i = 0; i < p.length; i++) {
            double g = gradient[i] * scale;
            double mi = BETA1 * m[i] + (1 - BETA1) * g;
            double vi = BETA2 * v[i] + (1 - BETA2) * g * g;
            m[i] = (float) mi;
            v[i] = (float) vi;
            p[i] -= (float) (lr * mi / (Math.sqrt(vi) + EPSILON));
        }
        return new UpdateStats(loss.policy() + loss.initial(), loss.value(), norm);
    }
}
