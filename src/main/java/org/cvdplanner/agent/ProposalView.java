package org.cvdplanner.agent;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A stored proposal: the schedule, its NADE forecast and its objective value.
 *
 * @param requestId the request that produced it; {@code position} is its index in that answer
 * @param validationIds simulator validations of this proposal, oldest first
 */
public record ProposalView(UUID id, UUID agentId, UUID requestId, int position, ProposalMode mode, long seed,
        int rollouts, Objective objective, double objectiveValue, double final2H, List<String> warnings,
        List<RecipeStep> schedule, List<PredictedStep> predicted, List<UUID> validationIds, Instant createdAt) {
}
