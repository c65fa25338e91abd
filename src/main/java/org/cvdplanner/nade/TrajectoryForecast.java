package org.cvdplanner.nade;

/**
 * The Monte-Carlo forecast of one schedule: for every step t (0 = the given Z_0) and phase
 * (0 = 2H, 1 = 1T, 2 = defect), the mean over the rollouts and the 5th, 50th and 95th
 * percentiles. Arrays are [steps][3], fractions of the 288 Mo atoms.
 */
public record TrajectoryForecast(double[][] mean, double[][] p5, double[][] p50, double[][] p95) {

    public int steps() {
        return mean.length;
    }
}
