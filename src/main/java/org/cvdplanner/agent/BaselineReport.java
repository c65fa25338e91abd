package org.cvdplanner.agent;

import java.util.List;

/**
 * A trained agent next to the baselines it is compared with, all on the same NADE model and
 * objective and with the same number of NADE episodes: the agent (its training) refined by the
 * cross-entropy method started from its best schedule, the cross-entropy method from scratch,
 * and random walks (the reference work's baseline; the best of as many walks as the others spent
 * episodes). Every method's candidates are re-scored with the same Monte-Carlo rollouts (common
 * random numbers), and the method with the best schedule wins: proposals use it.
 * Simulator figures validate the schedules on the built-in kinetic simulator (the stand-in for
 * reactive MD); they mean something only when the NADE model was trained on that simulator's data.
 *
 * @param objective the objective every method is scored by
 * @param rollouts NADE Monte-Carlo rollouts per schedule behind the forecast means
 * @param seed the seed of the whole comparison
 * @param agent the policy alone: its deterministic proposals and the best episodes of its training
 * @param agentRefined the agent's best schedule refined by CEM (training + refinement episodes)
 * @param crossEntropy CEM from scratch, as many NADE episodes as training + refinement
 * @param randomWalk random walks: the mean is the paper's baseline; the best of as many walks as episodes
 * @param winner the method whose best schedule has the best forecast objective
 * @param margin the winner's best objective minus the best other method's
 * @param agentVsRandomWalk the agent's best objective over the random walks' mean objective
 * @param warnings e.g. the agent losing to random walks
 */
public record BaselineReport(Objective objective, int rollouts, long seed, MethodResult agent,
        MethodResult agentRefined, MethodResult crossEntropy, MethodResult randomWalk, String winner, double margin,
        double agentVsRandomWalk, List<String> warnings) {

    public BaselineReport {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /** The winner's result. */
    public MethodResult best() {
        return switch (winner) {
            case "agent" -> agent;
            case "agent+cross-entropy" -> agentRefined;
            case "cross-entropy" -> crossEntropy;
            default -> randomWalk;
        };
    }
}
