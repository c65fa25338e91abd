package org.cvdplanner.agent;

/**
 * Gas amounts the furnace holds constant for a whole schedule (null = free). A fixed gas is not
 * an action: the agent, CEM and random walks all keep it at this value from X_0 on.
 */
public record FixedGases(Double s2, Double h2, Double h2s) {

    /** The fixed value of condition c (0 = temperature, never fixed here), or null. */
    public Double get(int c) {
        return switch (c) {
            case 1 -> s2;
            case 2 -> h2;
            case 3 -> h2s;
            default -> null;
        };
    }

    public boolean any() {
        return s2 != null || h2 != null || h2s != null;
    }
}
