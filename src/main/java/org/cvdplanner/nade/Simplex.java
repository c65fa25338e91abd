package org.cvdplanner.nade;

import java.util.random.RandomGenerator;

/**
 * Distributions on the 3-phase simplex {x >= 0, sum x = 1}.
 *
 * <p>{@link #sample} draws a phase vector the way the data's small phase fractions arise: a
 * Gaussian clipped at 0 (counts of atoms with noise, never negative). The simplex has two degrees
 * of freedom, so the two phases with the smaller predicted means are drawn, independently, and the
 * dominant phase is the remainder 1 − (sum of the two). Each drawn phase's latent Gaussian is not
 * N(μ, σ²) but the one whose <em>clipped</em> version has mean μ_k and variance σ_k²
 * (rectified-Gaussian moment matching): the network's Gaussian head is fitted by maximum
 * likelihood to clipped fractions, so μ and σ² estimate the moments of what is observed, and a
 * sampler must reproduce those moments, not clip a second time. Hence rare phases come out
 * exactly 0 as often as in the data, every phase's mean is exactly μ (the remainder's too, as the
 * means sum to 1), the two minor phases have variance σ² and the dominant one the variance the
 * simplex forces on it, Var(Z_a + Z_b). Clipping N(μ, σ²) directly, or the Euclidean projection,
 * pushes small fractions up by about 0.4 σ; renormalising clipped draws shrinks the dominant
 * phase's spread.
 *
 * <p>{@link #project} is the Euclidean projection (kept for callers that need a valid vector
 * near an arbitrary point; it biases the mean of Gaussian draws and is not used for sampling).
 */
final class Simplex {

    /** Grid of r = latent mean / latent sd for the rectified-Gaussian moment tables. */
    private static final double R_MIN = -1.5;
    private static final double R_MAX = 8;
    private static final int R_PER_UNIT = 256;
    private static final int R_COUNT = (int) ((R_MAX - R_MIN) * R_PER_UNIT) + 1;
    /** log(Var / E^2) of max(0, X), X ~ N(r, 1), at each grid r: decreasing in r. */
    private static final double[] LOG_RATIO = new double[R_COUNT];
    /** log E[max(0, X)], X ~ N(r, 1). */
    private static final double[] LOG_MEAN = new double[R_COUNT];

    static {
        for (int i = 0; i < R_COUNT; i++) {
            double r = R_MIN + i / (double) R_PER_UNIT;
            double cdf = normalCdf(r);
            double pdf = Math.exp(-0.5 * r * r) / Math.sqrt(2 * Math.PI);
            double mean = r * cdf + pdf;
            double second = (r * r + 1) * cdf + r * pdf;
            LOG_MEAN[i] = Math.log(mean);
            LOG_RATIO[i] = Math.log((second - mean * mean) / (mean * mean));
        }
    }

    private Simplex() {
    }

    /**
     * Draws one phase vector with mean {@code mean[offset..offset+2]} (renormalised to sum 1)
     * into {@code out[offset..offset+2]}: the two phases with the smaller means as max(0, N(m',
     * s'²)) with (m', s') from {@link #latent} for variance {@code variance[k]} times
     * {@code scale[k]} (null: 1), the third as the remainder.
     */
    static void sample(float[] mean, float[] variance, float[] scale, int offset, RandomGenerator rng, float[] out) {
        double m0 = Math.max(0, mean[offset]);
        double m1 = Math.max(0, mean[offset + 1]);
        double m2 = Math.max(0, mean[offset + 2]);
        double total = m0 + m1 + m2;
        if (!(total > 0)) {
            out[offset] = 0;
            out[offset + 1] = 0;
            out[offset + 2] = 1;
            return;
        }
        int dominant = m0 >= m1 ? (m0 >= m2 ? 0 : 2) : (m1 >= m2 ? 1 : 2);
        double[] latent = new double[2];
        double sum = 0;
        double[] y = new double[3];
        for (int k = 0; k < 3; k++) {
            if (k == dominant) {
                continue;
            }
            double m = Math.max(0, mean[offset + k]) / total;
            double v = Math.max(0, variance[offset + k]) * (scale == null ? 1 : scale[k]);
            latent(m, v, latent);
            y[k] = Math.max(0, latent[0] + latent[1] * rng.nextGaussian());
            sum += y[k];
        }
        if (sum > 1) {
            // both minor phases drawn so large that nothing is left (far tails only)
            for (int k = 0; k < 3; k++) {
                out[offset + k] = k == dominant ? 0f : (float) (y[k] / sum);
            }
            return;
        }
        for (int k = 0; k < 3; k++) {
            out[offset + k] = k == dominant ? (float) (1 - sum) : (float) y[k];
        }
    }

    /**
     * The latent mean and sd {m', s'} of the Gaussian whose clipped version max(0, X) has mean
     * {@code mean} and variance {@code variance}: solves Var/E² = g(m'/s') on a table of
     * r = m'/s' (linear interpolation in log space), then s' = mean / E[max(0, N(r, 1))]. Where
     * clipping is negligible (r > 8) it is (mean, sd). The variance is capped at about 25.6
     * mean² (sd 5 × mean, r = -1.5: the phase is positive in 6.7 % of draws); a larger one would
     * make the phase 0 in nearly every draw with rare huge values (r = -3: 0.13 % positive), which
     * keeps the mean but collapses the bands, and then widening the variance would narrow them.
     */
    static void latent(double mean, double variance, double[] out) {
        if (!(mean > 0) || !(variance > 0)) {
            out[0] = Math.max(0, mean);
            out[1] = 0;
            return;
        }
        double logTarget = Math.log(variance / (mean * mean));
        if (logTarget <= LOG_RATIO[R_COUNT - 1]) {
            out[0] = mean;
            out[1] = Math.sqrt(variance);
            return;
        }
        double r;
        double logMean;
        if (logTarget >= LOG_RATIO[0]) {
            r = R_MIN;
            logMean = LOG_MEAN[0];
        } else {
            // LOG_RATIO is decreasing: find i with LOG_RATIO[i] >= target > LOG_RATIO[i + 1]
            int lo = 0;
            int hi = R_COUNT - 1;
            while (hi - lo > 1) {
                int mid = (lo + hi) >>> 1;
                if (LOG_RATIO[mid] >= logTarget) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            double frac = (LOG_RATIO[lo] - logTarget) / (LOG_RATIO[lo] - LOG_RATIO[hi]);
            r = R_MIN + (lo + frac) / R_PER_UNIT;
            logMean = LOG_MEAN[lo] + (LOG_MEAN[hi] - LOG_MEAN[lo]) * frac;
        }
        double sd = mean / Math.exp(logMean);
        out[0] = r * sd;
        out[1] = sd;
    }

    /** Standard normal CDF via erfc (Numerical Recipes' Chebyshev fit, relative error < 1.2e-7). */
    static double normalCdf(double x) {
        double z = Math.abs(x) / Math.sqrt(2);
        double t = 1 / (1 + 0.5 * z);
        double erfc = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? 1 - 0.5 * erfc : 0.5 * erfc;
    }

    /** Projects {@code v[offset..offset+2]} in place onto {x >= 0, sum x = 1} (Euclidean). */
    static void project(float[] v, int offset) {
        float a = v[offset];
        float b = v[offset + 1];
        float c = v[offset + 2];
        if (a >= 0 && b >= 0 && c >= 0 && Math.abs(a + b + c - 1) < 1e-7f) {
            return;
        }
        // sort descending
        float u0 = a;
        float u1 = b;
        float u2 = c;
        float tmp;
        if (u0 < u1) {
            tmp = u0; u0 = u1; u1 = tmp;
        }
        if (u1 < u2) {
            tmp = u1; u1 = u2; u2 = tmp;
        }
        if (u0 < u1) {
            tmp = u0; u0 = u1; u1 = tmp;
        }
        double theta = u0 - 1.0;
        double sum = u0;
        if (u1 - (sum + u1 - 1.0) / 2 > 0) {
            sum += u1;
            theta = (sum - 1.0) / 2;
            if (u2 - (sum + u2 - 1.0) / 3 > 0) {
                sum += u2;
                theta = (sum - 1.0) / 3;
            }
        }
        v[offset] = (float) Math.max(a - theta, 0);
        v[offset + 1] = (float) Math.max(b - theta, 0);
        v[offset + 2] = (float) Math.max(c - theta, 0);
    }
}
