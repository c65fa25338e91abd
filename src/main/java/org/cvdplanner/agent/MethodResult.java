package org.cvdplanner.agent;

import org.cvdplanner.synthesis.Schedule;

/**
 * How one way of choosing schedules did under the agent's objective, on the NADE model and (when
 * run) on the built-in simulator.
 *
 * @param method "agent", "random-walk" or "cross-entropy"
 * @param schedules schedules evaluated
 * @param nadeEpisodes NADE episodes spent finding them (training or optimisation; 0 for random walks)
 * @param nadeMeanObjective mean objective value over the schedules, on the NADE forecast means
 * @param nadeMeanFinal2H mean forecast 2H at the last step
 * @param nadeBestObjective the best schedule's (by forecast objective) objective value
 * @param nadeBestFinal2H the best schedule's forecast final 2H
 * @param simulatedMeanObjective mean objective of the schedules run once each in the simulator (null if not run)
 * @param simulatedMeanFinal2H mean simulated final 2H (null if not run)
 * @param simulatedBestObjective the best schedule's objective, mean of {@code simulatorReplicas} runs (null if not run)
 * @param simulatedBestFinal2H the best schedule's final 2H, mean of the replicas (null if not run)
 * @param simulatorReplicas replicas of the best schedule
 * @param bestSchedule the best schedule by forecast objective
 * @param nadeRobustObjective the best schedule's mean forecast objective over copies of it jittered
 *     like a furnace missing its setpoints (null when not computed); the winner is chosen by it
 */
public record MethodResult(String method, int schedules, long nadeEpisodes, double nadeMeanObjective,
        double nadeMeanFinal2H, double nadeBestObjective, double nadeBestFinal2H, Double simulatedMeanObjective,
        Double simulatedMeanFinal2H, Double simulatedBestObjective, Double simulatedBestFinal2H,
        int simulatorReplicas, Schedule bestSchedule, Double nadeRobustObjective) {

    MethodResult withRobustObjective(double value) {
        return new MethodResult(method, schedules, nadeEpisodes, nadeMeanObjective, nadeMeanFinal2H, nadeBestObjective,
                nadeBestFinal2H, simulatedMeanObjective, simulatedMeanFinal2H, simulatedBestObjective,
                simulatedBestFinal2H, simulatorReplicas, bestSchedule, value);
    }

    /** What the winner is chosen by: the robust objective when computed, else the nominal best. */
    double selectionObjective() {
        return nadeRobustObjective != null ? nadeRobustObjective : nadeBestObjective;
    }
}
