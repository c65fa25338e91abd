package org.cvdplanner.simulation;

import java.util.List;

/**
 * Schedules run through the simulator: schedule j was run {@code replicas} times with the
 * summary seed {@code Seeds.derive(seed, j)} (replica r of it with {@code Seeds.derive(that, r)}).
 *
 * @param seed the request's seed (drawn when none was given), enough to reproduce the report
 * @param results one summary per schedule, in request order
 */
public record SimulationReport(long seed, int replicas, List<ReplicaSummary> results) {

    public SimulationReport {
        results = List.copyOf(results);
    }
}
