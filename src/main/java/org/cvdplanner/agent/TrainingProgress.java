package org.cvdplanner.agent;

/**
 * What one finished training batch measured.
 *
 * @param batch 1-based number of the batch (= policy update) just finished
 * @param batches the batches of the whole run
 * @param episodes episodes trained so far
 * @param totalEpisodes episodes of the whole run (whole batches)
 * @param point the batch's reward-curve point
 * @param policyLoss the REINFORCE surrogate loss of the batch
 * @param valueLoss the value head's smooth-L1 loss of the batch
 * @param gradientNorm global L2 norm of the averaged gradient before clipping
 * @param trainingSeconds wall time spent training so far (resumed runs included)
 */
public record TrainingProgress(int batch, int batches, long episodes, long totalEpisodes, RewardPoint point,
        double policyLoss, double valueLoss, double gradientNorm, double trainingSeconds) {
}
