package org.cvdplanner.nade;

import java.time.Instant;
import java.util.UUID;

import org.cvdplanner.synthesis.ConditionBounds;

/**
 * A stored NADE-CVD model version as other features and the list endpoint see it (no artifact,
 * no per-profile metrics).
 *
 * @param trainingConditionRanges the conditions' ranges in the training inputs (outside them the
 *     model extrapolates)
 */
public record NadeModelInfo(UUID id, long datasetId, UUID trainingJobId, boolean isDefault, Instant createdAt,
        int steps, String artifactSha256, int artifactSize, long seed, String profileHash,
        double trainingSeconds, int epochsRun, int bestEpoch, double validationNll, double testNll,
        ConditionBounds trainingConditionRanges) {
}
