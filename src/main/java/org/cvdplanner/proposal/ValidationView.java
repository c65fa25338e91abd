package org.cvdplanner.proposal;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A proposal run through the built-in simulator, compared with its NADE forecast.
 *
 * @param predictedFinal2H the forecast mean 2H at the last step (also in {@code errors})
 * @param simulatedFinal2H the simulated mean 2H at the last step (also in {@code errors})
 */
public record ValidationView(UUID id, UUID proposalId, int replicas, long seed, double predictedFinal2H,
        double simulatedFinal2H, ValidationErrors errors, List<ComparedStep> steps, Instant createdAt) {
}
