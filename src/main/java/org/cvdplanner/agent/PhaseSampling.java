package org.cvdplanner.agent;

import java.util.SplittableRandom;

/** Draws phase vectors from the NADE Gaussian and projects them back onto the simplex. */
final class PhaseSampling {

    private PhaseSampling() {
    }

    /** z[o..o+2] = projection of mean + sqrt(variance) · N(0, 1) onto {z ≥ 0, Σz = 1}. */
    static void sample(float[] mean, float[] variance, int o, SplittableRandom rng, float[] z) {
        for (int k = 0; k < 3; k++) {
            z[o + k] = (float) (mean[o + k] + Math.sqrt(variance[o + k]) * rng.nextGaussian());
        }
        project(z, o);
    }

    /** Euclidean projection of v[o..o+2] onto the probability simplex, in place. */
    static void project(float[] v, int o) {
        double a = v[o];
        double b = v[o + 1];
        double c = v[o + 2];
        if (a >= 0 && b >= 0 && c >= 0 && Math.abs(a + b + c - 1) < 1e-7) {
            return;
        }
        double[] u = {a, b, c};
        java.util.Arrays.sort(u);
        // descending: u[2] >= u[1] >= u[0]
        double theta = u[2] - 1;
        double sum = u[2];
        if (u[1] - (sum + u[1] - 1) / 2 > 0) {
            sum += u[1];
            theta = (sum - 1) / 2;
            if (u[0] - (sum + u[0] - 1) / 3 > 0) {
                sum += u[0];
                theta = (sum - 1) / 3;
            }
        }
        v[o] = (float) Math.max(a - theta, 0);
        v[o + 1] = (float) Math.max(b - theta, 0);
        v[o + 2] = (float) Math.max(c - theta, 0);
    }
}
