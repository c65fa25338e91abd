package org.cvdplanner.agent;

import java.util.List;

import org.cvdplanner.nade.TrajectoryForecast;
import org.cvdplanner.synthesis.Schedule;

/**
 * One schedule proposed by an agent with its NADE forecast.
 *
 * @param schedule X_0 .. X_{n-1}
 * @param forecast mean and p5/p50/p95 of every phase at every step over the Monte-Carlo rollouts
 * @param objectiveValue the agent's objective evaluated on the forecast mean
 * @param final2H the forecast mean 2H fraction at the last step
 * @param warnings e.g. conditions outside the ranges the NADE model was trained on
 */
public record ProposedSchedule(Schedule schedule, TrajectoryForecast forecast, double objectiveValue, double final2H,
        List<String> warnings) {

    public ProposedSchedule {
        warnings = List.copyOf(warnings);
    }
}
