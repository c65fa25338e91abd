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

    /** The schedule of {@code steps} steps stored step-major from {@code flat[offset]} (see {@link #conditionsFlat}). */
    public static Schedule ofConditionsFlat(double[] flat, int offset, int steps) {
        java.util.List<ConditionVector> xs = new java.util.ArrayList<>(steps);
        for (int t = 0; t < steps; t++) {
            int o = offset + t * ConditionVector.SIZE;
            xs.add(new ConditionVector(flat[o], flat[o + 1], flat[o + 2], flat[o + 3]));
        }
        return new Schedule(xs);
    }

    /** The conditions as one array, step-major: [t * 4 + c] for T, S2, H2, H2S. */
    public double[] conditionsFlat() {
        double[] x = new double[steps.size() * ConditionVector.SIZE];
        for (int t = 0; t < steps.size(); t++) {
            for (int c = 0; c < ConditionVector.SIZE; c++) {
                x[t * ConditionVector.SIZE + c] = steps.get(t).get(c);
            }
        }
        return x;
    }

    public ConditionVector at(int t) {
        return steps.get(t);
    }
}
