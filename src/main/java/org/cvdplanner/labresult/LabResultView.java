package org.cvdplanner.labresult;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A stored lab result and how it compares with the proposal's prediction.
 *
 * @param profileId the profile's external id in the dataset (null for a partial result, which is
 *     not a training profile)
 */
record LabResultView(UUID id, UUID proposalId, UUID agentId, Long datasetId, String profileId, String externalRef,
        boolean whole, int stepsMeasured, Comparison comparison, List<MeasuredStep> measured, Instant createdAt) {

    /** One measured step: phase fractions of the 288 Mo atoms. */
    record MeasuredStep(int t, double phase2H, double phase1T, double phaseDefect) {
    }

    /** Per phase: 2H, 1T, defect. */
    record PerPhase(double phase2H, double phase1T, double phaseDefect) {
    }

    /** The comparison of one measured step with the predicted mean and p5–p95 band. */
    record ComparedStep(int t, PerPhase measured, PerPhase predicted, PerPhase error, boolean inside2H,
            boolean inside1T, boolean insideDefect) {
    }

    /**
     * @param meanAbsoluteError mean |measured − predicted| over the measured steps
     * @param shareInsideBand share of measured (step, phase) values inside the predicted p5–p95 band
     * @param final2HError measured − predicted 2H at the last step (null when it was not measured)
     * @param final2HErrorAtoms the same in Mo atoms (of 288)
     */
    record Comparison(PerPhase meanAbsoluteError, PerPhase rmse, double shareInsideBand, Double final2HError,
            Double final2HErrorAtoms, List<ComparedStep> steps) {
    }
}
