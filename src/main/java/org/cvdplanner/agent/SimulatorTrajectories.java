package org.cvdplanner.agent;

import org.cvdplanner.simulation.ReplicaSummary;
import org.cvdplanner.simulation.SimulatedRun;

/** Simulator output as [steps][3] phase arrays (2H, 1T, defect). */
public final class SimulatorTrajectories {

    private SimulatorTrajectories() {
    }

    static double[][] of(SimulatedRun run) {
        double[][] z = new double[run.steps()][];
        for (int t = 0; t < run.steps(); t++) {
            z[t] = run.phases(t).toArray();
        }
        return z;
    }

    public static double[][] mean(ReplicaSummary summary) {
        double[][] z = new double[summary.steps().size()][];
        for (int t = 0; t < z.length; t++) {
            ReplicaSummary.StepSummary s = summary.steps().get(t);
            z[t] = new double[] {s.phase2H().mean(), s.phase1T().mean(), s.phaseDefect().mean()};
        }
        return z;
    }

    public static double[][] p5(ReplicaSummary summary) {
        double[][] z = new double[summary.steps().size()][];
        for (int t = 0; t < z.length; t++) {
            ReplicaSummary.StepSummary s = summary.steps().get(t);
            z[t] = new double[] {s.phase2H().p5(), s.phase1T().p5(), s.phaseDefect().p5()};
        }
        return z;
    }

    public static double[][] p95(ReplicaSummary summary) {
        double[][] z = new double[summary.steps().size()][];
        for (int t = 0; t < z.length; t++) {
            ReplicaSummary.StepSummary s = summary.steps().get(t);
            z[t] = new double[] {s.phase2H().p95(), s.phase1T().p95(), s.phaseDefect().p95()};
        }
        return z;
    }
}
