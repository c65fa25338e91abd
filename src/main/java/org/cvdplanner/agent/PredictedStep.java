package org.cvdplanner.agent;

import org.cvdplanner.synthesis.PhaseVector;

/** The forecast phase vector Z_t (at the start of step t): mean and 5th/95th percentiles over the rollouts. */
public record PredictedStep(int t, double timeNs, PhaseVector mean, PhaseVector p5, PhaseVector p95) {
}
