package org.cvdplanner.agent;

import java.util.List;

/**
 * A stored agent version with everything it was trained with and measured: the hyper-parameters,
 * the provenance, the reward curve and the comparison with the baselines (null when not run).
 */
public record AgentDetails(AgentSummary agent, AgentHyperParameters hyperParameters, AgentProvenance provenance,
        List<RewardPoint> rewardCurve, BaselineReport baselines) {
}
