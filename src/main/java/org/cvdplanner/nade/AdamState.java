package org.cvdplanner.nade;

/**
 * Adam (Kingma &amp; Ba) over a flat parameter vector, with the bias corrections and ε placement
 * of PyTorch's {@code torch.optim.Adam}: p ← p − lr · m̂ / (√v̂ + ε) with m̂ = m / (1 − β₁ᵗ),
 * v̂ = v / (1 − β₂ᵗ). (DL4J's Adam puts ε next to the un-corrected √v, a small difference early
 * in training; ours is the reference's so curves compare.) Mutable; its state is checkpointed
 * as three float arrays and the step count.
 */
final class AdamState {

    static final double BETA1 = 0.9;
    static final double BETA2 = 0.999;
    static final double EPSILON = 1e-8;

    final float[] m;
    final float[] v;
    long step;

    AdamState(int size) {
        this(new float[size], new float[size], 0);
    }

    AdamState(float[] m, float[] v, long step) {
        if (m.length != v.length) {
            throw new IllegalArgumentException("moment vectors differ in length");
        }
        this.m = m;
        this.v = v;
        this.step = step;
    }

    /** One update of {@code params} with {@code grad} at learning rate {@code lr}. */
    void update(float[] params, float[] grad, double lr) {
        step++;
        double c1 = 1 - Math.pow(BETA1, step);
        double c2 = 1 - Math.pow(BETA2, step);
        float b1 = (float) BETA1;
        float b2 = (float) BETA2;
        float stepSize = (float) (lr / c1);
        float sqrtC2 = (float) Math.sqrt(c2);
        float eps = (float) EPSILON;
        for (int i = 0; i < params.length; i++) {
            float g = grad[i];
            float mi = b1 * m[i] + (1 - b1) * g;
            float vi = b2 * v[i] + (1 - b2) * g * g;
            m[i] = mi;
            v[i] = vi;
            params[i] -= stepSize * mi / ((float) Math.sqrt(vi) / sqrtC2 + eps);
        }
    }

    /** Scales {@code grad} so its global L2 norm is at most {@code maxNorm}; returns the norm before. */
    static double clipGlobalNorm(float[] grad, double maxNorm) {
        double sum = 0;
        for (float g : grad) {
            sum += (double) g * g;
        }
        double norm = Math.sqrt(sum);
        if (maxNorm > 0 && norm > maxNorm) {
            float scale = (float) (maxNorm / (norm + 1e-6));
            for (int i = 0; i < grad.length; i++) {
                grad[i] *= scale;
            }
        }
        return norm;
    }
}
