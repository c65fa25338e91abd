package org.cvdplanner.agent;

/**
 * What the agent is rewarded for. The reward of the action a_t is read from Z_{t+2}, the first
 * phase vector the conditions X_{t+1} it chose can change (DESIGN.md, "The agent").
 */
public enum Objective {
    /** Reward = predicted 2H fraction at every step: the most 2H in the shortest time (the paper's; default). */
    MAX_2H_EARLY,
    /** Reward = predicted 2H fraction at the last step only. */
    MAX_FINAL_2H,
    /** Reward = predicted 1T fraction at every step. */
    MAX_1T,
    /** Reward = 1 − ½·‖Z − target‖₁ at every step (1 when the phase mixture equals the target). */
    TARGET_MIXTURE
}
