package org.cvdplanner.proposal;

import org.cvdplanner.agent.RewardFunction;
import org.cvdplanner.synthesis.PhaseVector;

/**
 * How far a NADE forecast was from the simulator's replicas of the same schedule.
 *
 * @param rmse root-mean-square difference of the means per phase over steps 1..n−1 (fractions)
 * @param mae mean absolute difference per phase over steps 1..n−1 (fractions)
 * @param rmseAtoms {@link #rmse} in Mo atoms of 288
 * @param rmseEarly RMSE per phase over the first half of the steps (1..n/2)
 * @param rmseLate RMSE per phase over the second half (n/2+1..n−1)
 * @param predictedFinal2H forecast mean 2H at the last step
 * @param simulatedFinal2H simulated mean 2H at the last step
 * @param final2HDifference predicted − simulated final 2H (fraction)
 * @param final2HDifferenceAtoms the same in Mo atoms of 288
 * @param predictedObjective the agent's objective on the forecast mean
 * @param simulatedObjective the agent's objective on the simulated mean
 * @param bandCoverage share of (step ≥ 1, phase) whose simulated mean lies inside the forecast p5–p95 band
 */
public record ValidationErrors(PhaseVector rmse, PhaseVector mae, PhaseVector rmseAtoms, PhaseVector rmseEarly,
        PhaseVector rmseLate, double predictedFinal2H, double simulatedFinal2H, double final2HDifference,
        double final2HDifferenceAtoms, double predictedObjective, double simulatedObjective, double bandCoverage) {

    /** Compares trajectories given as [steps][3] arrays (2H, 1T, defect). */
    static ValidationErrors compare(double[][] predicted, double[][] p5, double[][] p95, double[][] simulated,
            RewardFunction reward) {
        int n = predicted.length;
        if (simulated.length != n) {
            throw new IllegalArgumentException("predicted has " + n + " steps, simulated " + simulated.length);
        }
        int half = Math.max(1, n / 2);
        double[] sq = new double[3];
        double[] abs = new double[3];
        double[] sqEarly = new double[3];
        double[] sqLate = new double[3];
        int covered = 0;
        int early = 0;
        int late = 0;
        for (int t = 1; t < n; t++) {
            boolean isEarly = t <= half;
            if (isEarly) {
                early++;
            } else {
                late++;
            }
            for (int k = 0; k < 3; k++) {
                double d = predicted[t][k] - simulated[t][k];
                sq[k] += d * d;
                abs[k] += Math.abs(d);
                if (isEarly) {
                    sqEarly[k] += d * d;
                } else {
                    sqLate[k] += d * d;
                }
                if (simulated[t][k] >= p5[t][k] - 1e-9 && simulated[t][k] <= p95[t][k] + 1e-9) {
                    covered++;
                }
            }
        }
        int m = Math.max(1, n - 1);
        double[] rmse = new double[3];
        double[] mae = new double[3];
        double[] atoms = new double[3];
        double[] rEarly = new double[3];
        double[] rLate = new double[3];
        for (int k = 0; k < 3; k++) {
            rmse[k] = Math.sqrt(sq[k] / m);
            mae[k] = abs[k] / m;
            atoms[k] = rmse[k] * PhaseVector.MO_ATOMS;
            rEarly[k] = early == 0 ? 0 : Math.sqrt(sqEarly[k] / early);
            rLate[k] = late == 0 ? 0 : Math.sqrt(sqLate[k] / late);
        }
        double pf = predicted[n - 1][0];
        double sf = simulated[n - 1][0];
        return new ValidationErrors(PhaseVector.of(rmse), PhaseVector.of(mae), PhaseVector.of(atoms),
                PhaseVector.of(rEarly), PhaseVector.of(rLate), pf, sf, pf - sf, (pf - sf) * PhaseVector.MO_ATOMS,
                reward.objectiveValue(predicted), reward.objectiveValue(simulated), covered / (3.0 * m));
    }
}
