package org.cvdplanner.agent;

import java.time.Instant;
import java.util.UUID;

/** A stored agent version as the list shows it. */
public record AgentSummary(UUID id, UUID nadeModelId, Long datasetId, UUID trainingJobId, Objective objective,
        long episodes, int batchSize, int steps, long seed, double finalMeanObjective, double trainingSeconds,
        String artifactSha256, int artifactSize, Instant createdAt) {
}
