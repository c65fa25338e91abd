package org.cvdplanner.labresult;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A measured outcome of a proposal (JSON form; CSV carries the same steps as rows).
 *
 * @param datasetId the dataset that receives it as a profile (its step count must be the
 *     proposal's horizon); required
 * @param externalId the profile's id in that dataset (default {@code lab-<proposal>-<n>})
 * @param externalRef the LIMS's own reference (sample, run, request)
 * @param steps the measured steps, whole (every step of the horizon) or partial
 */
record LabResultRequest(Long datasetId, String externalId, String externalRef,
        @Schema(description = "Measured steps: t (0-based) and the 2H / 1T / defect fractions, summing to 1")
        List<LabResultView.MeasuredStep> steps) {
}
