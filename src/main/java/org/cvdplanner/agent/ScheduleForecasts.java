package org.cvdplanner.agent;

import java.util.ArrayList;
import java.util.List;

import org.cvdplanner.nade.NadeModel;
import org.cvdplanner.nade.TrajectoryForecast;
import org.cvdplanner.synthesis.ConditionBounds;
import org.cvdplanner.synthesis.ConditionVector;
import org.cvdplanner.synthesis.PhaseVector;
import org.cvdplanner.synthesis.Schedule;

/** NADE Monte-Carlo forecasts of schedules, scored by an objective. */
public final class ScheduleForecasts {

    private static final String[] NAMES = {"temperatureK", "s2", "h2", "h2s"};

    private ScheduleForecasts() {
    }

    public static List<ProposedSchedule> forecast(NadeModel nade, RewardFunction reward, List<Schedule> schedules,
            int rollouts, long seed) {
        List<TrajectoryForecast> forecasts = nade.forecast(schedules, PhaseVector.INITIAL, rollouts, seed);
        List<ProposedSchedule> out = new ArrayList<>(schedules.size());
        ConditionBounds support = nade.trainingConditionRanges();
        for (int i = 0; i < schedules.size(); i++) {
            TrajectoryForecast f = forecasts.get(i);
            double[][] mean = f.mean();
            out.add(new ProposedSchedule(schedules.get(i), f, reward.objectiveValue(mean), mean[mean.length - 1][0],
                    warnings(support, schedules.get(i))));
        }
        return out;
    }

    /** One warning per condition that leaves the ranges seen in the NADE model's training data. */
    static List<String> warnings(ConditionBounds support, Schedule schedule) {
        List<String> warnings = new ArrayList<>();
        for (int c = 0; c < ConditionVector.SIZE; c++) {
            for (int t = 0; t < schedule.length(); t++) {
                double v = schedule.at(t).get(c);
                if (v < support.min(c) - 1e-9 || v > support.max(c) + 1e-9) {
                    warnings.add(NAMES[c] + " at step " + t + " (" + v + ") is outside the NADE training range ["
                            + support.min(c) + ", " + support.max(c) + "]: the prediction extrapolates");
                    break;
                }
            }
        }
        return warnings;
    }

    static List<Schedule> schedules(double[] flat, int rows, int steps) {
        List<Schedule> out = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            out.add(schedule(flat, r, steps));
        }
        return out;
    }

    static Schedule schedule(double[] flat, int r, int steps) {
        return Schedule.ofConditionsFlat(flat, r * steps * 4, steps);
    }
}
