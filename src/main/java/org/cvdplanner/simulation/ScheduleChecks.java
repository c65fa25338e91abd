package org.cvdplanner.simulation;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.cvdplanner.synthesis.ConditionVector;
import org.cvdplanner.synthesis.Schedule;

/**
 * Checks schedules that arrive from outside (HTTP, other features, job parameters) against the
 * model's needs and the service's limits, and turns request bodies with possibly missing values
 * into schedules. A violation names the field as a JSON path, e.g.
 * {@code schedules[2].steps[5].temperatureK}.
 */
final class ScheduleChecks {

    static final String[] FIELDS = {"temperatureK", "s2", "h2", "h2s"};

    /** One condition vector of a request body; a null component is missing. */
    record ConditionInput(Double temperatureK, Double s2, Double h2, Double h2s) {
    }

    /** One schedule of a request body. */
    record ScheduleInput(List<ConditionInput> steps) {
    }

    record Violation(String field, String reason) {
    }

    private final SimulatorProperties properties;

    ScheduleChecks(SimulatorProperties properties) {
        this.properties = properties;
    }

    /** Converts a request's schedule, or names the first missing or malformed part. */
    Schedule toSchedule(String path, ScheduleInput input, ViolationHandler onViolation) {
        if (input == null || input.steps() == null) {
            throw onViolation.raise(new Violation(path + ".steps", "is missing"));
        }
        List<ConditionVector> steps = new ArrayList<>(input.steps().size());
        for (int t = 0; t < input.steps().size(); t++) {
            ConditionInput x = input.steps().get(t);
            String stepPath = path + ".steps[" + t + "]";
            if (x == null) {
                throw onViolation.raise(new Violation(stepPath, "is missing"));
            }
            Double[] values = {x.temperatureK(), x.s2(), x.h2(), x.h2s()};
            for (int c = 0; c < values.length; c++) {
                if (values[c] == null) {
                    throw onViolation.raise(new Violation(stepPath + "." + FIELDS[c], "is missing"));
                }
            }
            steps.add(new ConditionVector(x.temperatureK(), x.s2(), x.h2(), x.h2s()));
        }
        return new Schedule(steps);
    }

    /**
     * The first problem of a schedule: length (exactly {@code requiredSteps} when given, else
     * 2..maxSteps), finite values, 0 &lt; T ≤ maxTemperatureK, 0 ≤ gas ≤ maxGas.
     */
    Optional<Violation> check(String path, Schedule schedule, Integer requiredSteps) {
        if (schedule == null || schedule.steps() == null) {
            return Optional.of(new Violation(path, "is missing"));
        }
        int n = schedule.length();
        if (requiredSteps != null && n != requiredSteps) {
            return Optional.of(new Violation(path + ".steps", "has " + n + " steps; the dataset's profiles have exactly " + requiredSteps));
        }
        if (n < 2 || n > properties.maxSteps()) {
            return Optional.of(new Violation(path + ".steps", "has " + n + " steps; allowed are 2 to " + properties.maxSteps()));
        }
        for (int t = 0; t < n; t++) {
            ConditionVector x = schedule.at(t);
            if (x == null) {
                return Optional.of(new Violation(path + ".steps[" + t + "]", "is missing"));
            }
            for (int c = 0; c < ConditionVector.SIZE; c++) {
                String field = path + ".steps[" + t + "]." + FIELDS[c];
                double v = x.get(c);
                if (!Double.isFinite(v)) {
                    return Optional.of(new Violation(field, "must be a finite number, was " + v));
                }
                if (c == 0 && !(v > 0 && v <= properties.maxTemperatureK())) {
                    return Optional.of(new Violation(field, "must be > 0 K and <= " + properties.maxTemperatureK() + " K, was " + v));
                }
                if (c > 0 && !(v >= 0 && v <= properties.maxGas())) {
                    return Optional.of(new Violation(field, "must be >= 0 and <= " + properties.maxGas() + " molecules, was " + v));
                }
            }
        }
        return Optional.empty();
    }

    /** Turns a violation into the caller's exception type. */
    @FunctionalInterface
    interface ViolationHandler {
        RuntimeException raise(Violation violation);
    }
}
