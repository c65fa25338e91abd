package org.cvdplanner.synthesis;

/**
 * Lower and upper bounds of the condition vector. {@link #PAPER} holds the ranges of the
 * reference work's generated schedules.
 */
public record ConditionBounds(ConditionVector min, ConditionVector max) {

    public static final ConditionBounds PAPER = new ConditionBounds(
            new ConditionVector(750, 20, 20, 20), new ConditionVector(3750, 250, 250, 200));

    public double min(int component) {
        return min.get(component);
    }

    public double max(int component) {
        return max.get(component);
    }

    public double clip(int component, double value) {
        return Math.max(min(component), Math.min(max(component), value));
    }

    public ConditionVector clip(ConditionVector x) {
        double[] v = x.toArray();
        for (int i = 0; i < ConditionVector.SIZE; i++) {
            v[i] = clip(i, v[i]);
        }
        return ConditionVector.of(v);
    }

    public boolean contains(ConditionVector x) {
        for (int i = 0; i < ConditionVector.SIZE; i++) {
            if (x.get(i) < min(i) || x.get(i) > max(i)) {
                return false;
            }
        }
        return true;
    }
}
