package org.cvdplanner.simulation;

import java.util.Arrays;

/**
 * Summary of one quantity over stochastic replicas: mean, standard deviation (n − 1), and the
 * 5th and 95th percentiles (linear interpolation between order statistics).
 */
public record Band(double mean, double sd, double p5, double p95) {

    public static Band of(double[] values) {
        int n = values.length;
        if (n == 0) {
            throw new IllegalArgumentException("no values");
        }
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        double mean = sum / n;
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        double sd = n > 1 ? Math.sqrt(squares / (n - 1)) : 0;
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return new Band(mean, sd, percentile(sorted, 0.05), percentile(sorted, 0.95));
    }

    static double percentile(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
