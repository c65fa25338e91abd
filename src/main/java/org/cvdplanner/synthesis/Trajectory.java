package org.cvdplanner.synthesis;

import java.util.List;

/** What comes out: the phase vector at the start of every step, Z_0 .. Z_{n-1}. */
public record Trajectory(List<PhaseVector> steps) {

    public Trajectory {
        steps = List.copyOf(steps);
    }

    public int length() {
        return steps.size();
    }

    public PhaseVector at(int t) {
        return steps.get(t);
    }

    public PhaseVector last() {
        return steps.get(steps.size() - 1);
    }
}
