package org.cvdplanner.proposal;

/**
 * One step of a schedule as a furnace controller runs it: from {@code timeNs} for one step
 * (1 ns in the reference cell), hold these conditions.
 */
public record RecipeStep(int step, double timeNs, double temperatureK, double s2, double h2, double h2s) {
}
