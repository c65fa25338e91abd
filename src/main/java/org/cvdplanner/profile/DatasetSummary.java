package org.cvdplanner.profile;

import java.time.Instant;

import org.cvdplanner.synthesis.ConditionBounds;

/**
 * A dataset as users and other features see it.
 *
 * @param conditionRanges the smallest and largest value of each condition over all stored
 *     profiles; null while the dataset is empty
 * @param externalRef the lab system's own reference (sample, run, request), or null
 */
public record DatasetSummary(long id, String name, String description, String source, int stepCount,
        long profileCount, ConditionBounds conditionRanges, Instant createdAt, String externalRef) {
}
