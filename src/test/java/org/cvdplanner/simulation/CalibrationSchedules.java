package org.cvdplanner.simulation;

import java.util.ArrayList;
import java.util.List;

import org.cvdplanner.synthesis.ConditionVector;
import org.cvdplanner.synthesis.Schedule;

/** The schedules named by the calibration targets (DESIGN.md); gases 100 unless named. */
final class CalibrationSchedules {

    static final int STEPS = 20;

    private CalibrationSchedules() {
    }

    static Schedule constant(double temperatureK) {
        List<ConditionVector> xs = new ArrayList<>();
        for (int t = 0; t < STEPS; t++) {
            xs.add(new ConditionVector(temperatureK, 100, 100, 100));
        }
        return new Schedule(xs);
    }

    /** hotK for the first hotSteps steps, then annealK; S2 = earlyS2 for steps 0..2, then laterS2. */
    static Schedule hotThenAnneal(double hotK, int hotSteps, double annealK, double earlyS2, double laterS2) {
        List<ConditionVector> xs = new ArrayList<>();
        for (int t = 0; t < STEPS; t++) {
            xs.add(new ConditionVector(t < hotSteps ? hotK : annealK, t < 3 ? earlyS2 : laterS2, 100, 100));
        }
        return new Schedule(xs);
    }

    /** Target 3: 3300 K for 8 steps then 2000 K; S2 = 30 for the first 3 steps, 150 after. */
    static Schedule reference() {
        return hotThenAnneal(3300, 8, 2000, 30, 150);
    }

    /** A schedule as request JSON: T for the first hotSteps steps then annealK; S2 early then later. */
    static String scheduleJson(double hotK, int hotSteps, double annealK, double earlyS2, double laterS2, int steps) {
        StringBuilder json = new StringBuilder("{\"steps\":[");
        for (int t = 0; t < steps; t++) {
            if (t > 0) {
                json.append(',');
            }
            json.append("{\"temperatureK\":").append(t < hotSteps ? hotK : annealK)
                    .append(",\"s2\":").append(t < 3 ? earlyS2 : laterS2)
                    .append(",\"h2\":100,\"h2s\":100}");
        }
        return json.append("]}").toString();
    }
}
