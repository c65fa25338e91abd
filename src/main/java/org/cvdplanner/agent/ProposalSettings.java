package org.cvdplanner.agent;

import org.cvdplanner.synthesis.ConditionVector;

/**
 * What to propose.
 *
 * @param count how many schedules (1..10000)
 * @param initialConditions X_0 of every schedule, or null: the agent's own X_0 if it was trained
 *     with one, else drawn uniformly from its bounds (seeded)
 * @param mode deterministic (policy mean) or sampled
 * @param seed X_0 draws, action noise and the Monte-Carlo forecast
 * @param rollouts NADE Monte-Carlo rollouts per schedule for the predicted mean and p5/p95 bands (1..4096)
 * @param steps schedule length, or null for the model's (longer: the model extrapolates past its horizon)
 */
public record ProposalSettings(int count, ConditionVector initialConditions, ProposalMode mode, long seed,
        int rollouts, Integer steps) {

    public static final int MAX_STEPS = 200;

    public ProposalSettings(int count, ConditionVector initialConditions, ProposalMode mode, long seed, int rollouts) {
        this(count, initialConditions, mode, seed, rollouts, null);
    }

    public static final int MAX_COUNT = 10_000;
    public static final int MAX_ROLLOUTS = 4096;

    public ProposalSettings {
        if (count < 1 || count > MAX_COUNT) {
            throw new InvalidAgentParameterException("count", "must be between 1 and " + MAX_COUNT);
        }
        if (mode == null) {
            throw new InvalidAgentParameterException("mode", "must be DETERMINISTIC or SAMPLED");
        }
        if (rollouts < 1 || rollouts > MAX_ROLLOUTS) {
            throw new InvalidAgentParameterException("rollouts", "must be between 1 and " + MAX_ROLLOUTS);
        }
        if (steps != null && (steps < 3 || steps > MAX_STEPS)) {
            throw new InvalidAgentParameterException("steps", "must be between 3 and " + MAX_STEPS);
        }
        if (initialConditions != null) {
            for (int c = 0; c < ConditionVector.SIZE; c++) {
                if (!Double.isFinite(initialConditions.get(c))) {
                    throw new InvalidAgentParameterException("initialConditions", "values must be finite numbers");
                }
            }
        }
    }
}
