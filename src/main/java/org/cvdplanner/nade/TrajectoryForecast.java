package org.cvdplanner.nade;

/**
 * The forecast of one schedule: for every step t (0 = the given Z_0) and phase (0 = 2H,
 * 1 = 1T, 2 = defect) the point forecast {@code mean} (the deterministic mean-fed rollout: the
 * predicted mean is fed back at every step), and from the Monte-Carlo rollouts their mean
 * {@code sampleMean} and the 5th, 50th and 95th percentiles (the p5–p95 band is a 90 %
 * prediction interval). Arrays are [steps][3], fractions of the 288 Mo atoms.
 */
public record TrajectoryForecast(double[][] mean, double[][] sampleMean, double[][] p5, double[][] p50,
        double[][] p95) {

    public int steps() {
        return mean.length;
    }
}
