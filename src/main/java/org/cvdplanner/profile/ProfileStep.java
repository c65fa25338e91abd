package org.cvdplanner.profile;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One step of a profile as uploaded and returned: the conditions applied during step t and the
 * phases at its start. Boxed so that a missing field is told apart from zero.
 */
@JsonPropertyOrder({"t", "temperatureK", "s2", "h2", "h2s", "phase2H", "phase1T", "phaseDefect"})
record ProfileStep(Integer t, Double temperatureK, Double s2, Double h2, Double h2s, Double phase2H,
        Double phase1T, Double phaseDefect) {
}
