package org.cvdplanner.agent;

/**
 * One point of the reward curve: means over the episodes of one training batch.
 *
 * @param episodes episodes trained when the batch finished
 * @param meanReturn undiscounted return per episode (sum of the rewards)
 * @param meanObjective the objective value per episode (mean reward per rewarded step, or the
 *     final 2H for MAX_FINAL_2H)
 * @param meanFinal2H predicted 2H fraction at the last step
 */
public record RewardPoint(long episodes, double meanReturn, double meanObjective, double meanFinal2H) {
}
