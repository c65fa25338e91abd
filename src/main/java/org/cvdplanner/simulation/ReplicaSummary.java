package org.cvdplanner.simulation;

import java.util.ArrayList;
import java.util.List;

import org.cvdplanner.synthesis.Schedule;

/**
 * A schedule run through the simulator {@code replicas} times (replica r with seed
 * {@code Seeds.derive(seed, r)}): per step the mean and p5–p95 band of every phase and of the
 * extra observables.
 */
public record ReplicaSummary(Schedule schedule, int replicas, long seed, List<StepSummary> steps) {

    public ReplicaSummary {
        steps = List.copyOf(steps);
    }

    /**
     * Statistics of step t (Z_t, at the start of step t).
     *
     * @param sulfidised fraction of sites that took up sulfur (amorphous + 1T + 2H)
     * @param remainingOxide fraction of sites still MoO3
     */
    public record StepSummary(int t, Band phase2H, Band phase1T, Band phaseDefect, Band sulfidised,
            Band remainingOxide) {
    }

    public StepSummary last() {
        return steps.get(steps.size() - 1);
    }

    static ReplicaSummary of(Schedule schedule, long seed, List<SimulatedRun> runs) {
        int n = runs.size();
        List<StepSummary> steps = new ArrayList<>(schedule.length());
        double[][] v = new double[5][n];
        for (int t = 0; t < schedule.length(); t++) {
            for (int r = 0; r < n; r++) {
                SimulatedRun run = runs.get(r);
                var z = run.phases(t);
                v[0][r] = z.phase2H();
                v[1][r] = z.phase1T();
                v[2][r] = z.phaseDefect();
                v[3][r] = run.sulfidisedFraction(t);
                v[4][r] = run.remainingOxide(t);
            }
            steps.add(new StepSummary(t, Band.of(v[0]), Band.of(v[1]), Band.of(v[2]), Band.of(v[3]), Band.of(v[4])));
        }
        return new ReplicaSummary(schedule, n, seed, steps);
    }
}
