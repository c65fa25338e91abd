package org.cvdplanner.proposal;

import org.cvdplanner.synthesis.PhaseVector;

/** Z_t forecast by NADE next to the simulator replicas' mean and 5th/95th percentiles. */
public record ComparedStep(int t, PhaseVector predicted, PhaseVector predictedP5, PhaseVector predictedP95,
        PhaseVector simulated, PhaseVector simulatedP5, PhaseVector simulatedP95) {
}
