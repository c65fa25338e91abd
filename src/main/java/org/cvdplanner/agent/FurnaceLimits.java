package org.cvdplanner.agent;

/**
 * The furnace's limits on a schedule, applied step by step the same way by the agent, CEM and
 * random walks: bounds, the maximum change per step of each condition, fixed gases, and a
 * minimum hold time at a temperature (once the temperature changes it stays for at least
 * {@code minHoldSteps} steps). Targets come in units of the bounds, u ∈ [−1, 1].
 */
final class FurnaceLimits {

    private final AgentHyperParameters hp;

    FurnaceLimits(AgentHyperParameters hp) {
        this.hp = hp;
    }

    /** Condition value of the target u ∈ [−1, 1] of condition c. */
    double fromUnit(int c, double u) {
        return hp.bounds().min(c) + (u + 1) * 0.5 * (hp.bounds().max(c) - hp.bounds().min(c));
    }

    /** u ∈ [−1, 1] of a condition value inside the bounds. */
    double toUnit(int c, double v) {
        return 2 * (v - hp.bounds().min(c)) / (hp.bounds().max(c) - hp.bounds().min(c)) - 1;
    }

    /** X_0 component c from a proposed value: the fixed gas, else clipped to the bounds. */
    double initial(int c, double proposed) {
        Double fixed = hp.fixed(c);
        return fixed != null ? fixed : hp.bounds().clip(c, proposed);
    }

    /** Whether the temperature must hold at step t + 1, having held its value for {@code held} steps. */
    boolean temperatureLocked(int held) {
        return held < hp.minHoldSteps();
    }

    /**
     * X_{t+1} component c from X_t = {@code previous} and a proposed value; {@code held} is how
     * many steps the temperature has had its current value (including step t).
     */
    double next(int c, double previous, double proposed, int held) {
        Double fixed = hp.fixed(c);
        if (fixed != null) {
            return fixed;
        }
        if (c == 0 && temperatureLocked(held)) {
            return previous;
        }
        return hp.constrain(c, previous, proposed);
    }

    /** The hold counter after step t + 1. */
    static int held(int held, double previousT, double nextT) {
        return nextT == previousT ? held + 1 : 1;
    }

    /** Projects proposed values (steps × 4 from {@code offset}) onto the limits, step by step, into {@code out}. */
    void project(double[] proposed, int offset, int steps, double[] out, int outOffset) {
        int held = 1;
        for (int t = 0; t < steps; t++) {
            for (int c = 0; c < 4; c++) {
                int i = outOffset + t * 4 + c;
                double v = proposed[offset + t * 4 + c];
                if (t == 0) {
                    out[i] = hp.initialConditions() != null ? hp.initialConditions().get(c) : initial(c, v);
                } else {
                    out[i] = next(c, out[i - 4], v, held);
                }
            }
            if (t > 0) {
                held = held(held, out[outOffset + (t - 1) * 4], out[outOffset + t * 4]);
            }
        }
    }

    /** The limit a schedule breaks, or null when it respects every one (used by tests and checks). */
    String violation(double[] schedule, int offset, int steps) {
        int held = 1;
        for (int t = 0; t < steps; t++) {
            for (int c = 0; c < 4; c++) {
                double v = schedule[offset + t * 4 + c];
                if (v < hp.bounds().min(c) - 1e-9 || v > hp.bounds().max(c) + 1e-9) {
                    return "condition " + c + " at step " + t + " outside the bounds: " + v;
                }
                Double fixed = hp.fixed(c);
                if (fixed != null && v != fixed) {
                    return "condition " + c + " at step " + t + " not at its fixed value: " + v;
                }
                if (t > 0 && hp.maxChangePerStep() != null
                        && Math.abs(v - schedule[offset + (t - 1) * 4 + c]) > hp.maxChangePerStep().get(c) + 1e-9) {
                    return "condition " + c + " changes by more than the limit at step " + t;
                }
            }
            if (t > 0) {
                double prev = schedule[offset + (t - 1) * 4];
                double now = schedule[offset + t * 4];
                if (now != prev && held < hp.minHoldSteps()) {
                    return "temperature changes at step " + t + " after holding " + held + " steps";
                }
                held = held(held, prev, now);
            }
        }
        return null;
    }
}
