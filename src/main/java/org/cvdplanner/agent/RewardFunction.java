package org.cvdplanner.agent;

import org.cvdplanner.synthesis.PhaseVector;

/**
 * The reward of one objective as plain arithmetic on phase vectors (fractions 2H, 1T, defect).
 * Immutable.
 */
public final class RewardFunction {

    private final Objective objective;
    private final double[] target;

    RewardFunction(Objective objective, PhaseVector target) {
        this.objective = objective;
        this.target = target == null ? null : target.toArray();
        if (objective == Objective.TARGET_MIXTURE && target == null) {
            throw new InvalidAgentParameterException("targetMixture", "is required for TARGET_MIXTURE");
        }
    }

    public static RewardFunction of(AgentHyperParameters hp) {
        return new RewardFunction(hp.objective(), hp.targetMixture());
    }

    Objective objective() {
        return objective;
    }

    /**
     * The reward read from phase vector z (at {@code z[offset..offset+2]}); {@code last} is true
     * for the episode's last rewarded step.
     */
    public double reward(float[] z, int offset, boolean last) {
        return switch (objective) {
            case MAX_2H_EARLY -> z[offset];
            case MAX_FINAL_2H -> last ? z[offset] : 0;
            case MAX_1T -> z[offset + 1];
            case TARGET_MIXTURE -> 1 - 0.5 * (Math.abs(z[offset] - target[0]) + Math.abs(z[offset + 1] - target[1])
                    + Math.abs(z[offset + 2] - target[2]));
        };
    }

    private double value(double[] z) {
        return switch (objective) {
            case MAX_2H_EARLY, MAX_FINAL_2H -> z[0];
            case MAX_1T -> z[1];
            case TARGET_MIXTURE -> 1 - 0.5 * (Math.abs(z[0] - target[0]) + Math.abs(z[1] - target[1])
                    + Math.abs(z[2] - target[2]));
        };
    }

    /**
     * The objective value of a trajectory Z_0..Z_{n-1} (rows of 3): for the per-step objectives
     * the mean reward over the rewarded steps Z_2..Z_{n-1} (the phases the agent's choices
     * reach), in [0, 1]; for {@link Objective#MAX_FINAL_2H} the 2H fraction of Z_{n-1}.
     */
    public double objectiveValue(double[][] trajectory) {
        int n = trajectory.length;
        if (objective == Objective.MAX_FINAL_2H) {
            return value(trajectory[n - 1]);
        }
        double sum = 0;
        for (int t = 2; t < n; t++) {
            sum += value(trajectory[t]);
        }
        return sum / Math.max(1, n - 2);
    }
}
