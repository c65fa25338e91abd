package org.cvdplanner.proposal;

import org.cvdplanner.synthesis.PhaseVector;

/**
 * The forecast phase vector Z_t (at the start of step t): mean and 5th/95th percentiles over the
 * rollouts; {@code extrapolated} when t lies past the NADE model's training horizon.
 */
public record PredictedStep(int t, double timeNs, PhaseVector mean, PhaseVector p5, PhaseVector p95,
        boolean extrapolated) {
}
