package org.cvdplanner.agent;

/**
 * A trained agent next to the baselines it is compared with, all on the same NADE model and
 * objective: random-walk schedules (the reference work's baseline) and the cross-entropy method
 * optimising the schedule itself with the same number of NADE episodes as the agent's training.
 * Simulator figures validate the schedules on the built-in kinetic simulator (the stand-in for
 * reactive MD); they mean something only when the NADE model was trained on that simulator's data.
 *
 * @param objective the objective every method is scored by
 * @param rollouts NADE Monte-Carlo rollouts per schedule behind the forecast means
 * @param seed the seed of the whole comparison
 */
public record BaselineReport(Objective objective, int rollouts, long seed, MethodResult agent,
        MethodResult randomWalk, MethodResult crossEntropy) {
}
