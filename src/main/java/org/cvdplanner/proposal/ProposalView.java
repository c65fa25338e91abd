package org.cvdplanner.proposal;

import org.cvdplanner.agent.Objective;
import org.cvdplanner.agent.ProposalMode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A stored proposal: the schedule, its NADE forecast and its objective value.
 *
 * @param requestId the request that produced it; {@code position} is its index in that answer
 * @param validationIds simulator validations of this proposal, oldest first
 * @param method what produced the schedule: "agent", or the winner of the agent's comparison
 *     ("agent+cross-entropy", "cross-entropy", "random-walk")
 * @param horizon the NADE model's profile length: steps from it on are extrapolated
 * @param externalRef the lab system's own reference given when proposing, or null
 */
public record ProposalView(UUID id, UUID agentId, UUID requestId, int position, ProposalMode mode, long seed,
        int rollouts, Objective objective, double objectiveValue, double final2H, List<String> warnings,
        List<RecipeStep> schedule, List<PredictedStep> predicted, List<UUID> validationIds, Instant createdAt,
        String method, int horizon, String externalRef) {
}
