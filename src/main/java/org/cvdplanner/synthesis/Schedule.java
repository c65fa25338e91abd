package org.cvdplanner.synthesis;

import java.util.List;

/** What to run: the condition vector of every step, X_0 .. X_{n-1}. */
public record Schedule(List<ConditionVector> steps) {

    public Schedule {
        steps = List.copyOf(steps);
    }

    public int length() {
        return steps.size();
    }

    public ConditionVector at(int t) {
        return steps.get(t);
    }
}
