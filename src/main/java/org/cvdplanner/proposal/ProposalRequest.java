package org.cvdplanner.proposal;

import org.cvdplanner.synthesis.ConditionVector;

/**
 * The body of {@code POST /api/v1/agents/{id}/proposals}; every field is optional.
 *
 * @param count schedules to propose (default 1)
 * @param initialConditions X_0 (default: the agent's own if trained with one, else uniform within its bounds)
 * @param mode DETERMINISTIC (default) or SAMPLED
 * @param seed X_0 draws, action noise and the forecast (default: drawn and returned)
 * @param rollouts NADE Monte-Carlo rollouts per schedule for the mean and p5/p95 bands (default 64)
 * @param steps schedule length (default the NADE model's; longer rolls the model past its horizon,
 *     flagged per step)
 * @param externalRef the lab system's own reference (sample, run, request), stored with every
 *     proposal of the answer; lists filter by it
 */
public record ProposalRequest(Integer count, ConditionVector initialConditions, String mode, Long seed,
        Integer rollouts, Integer steps, String externalRef) {

    public ProposalRequest(Integer count, ConditionVector initialConditions, String mode, Long seed,
            Integer rollouts) {
        this(count, initialConditions, mode, seed, rollouts, null, null);
    }
}
