package org.cvdplanner.nade.web;

import org.cvdplanner.nade.NadeModelInfo;
import org.cvdplanner.nade.NadeProperties;
import org.cvdplanner.nade.TrajectoryForecast;
import org.cvdplanner.nade.store.NadeModelService;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.cvdplanner.synthesis.ConditionBounds;
import org.cvdplanner.synthesis.ConditionVector;
import org.cvdplanner.synthesis.PhaseVector;
import org.cvdplanner.synthesis.Schedule;
import org.springframework.stereotype.Service;

/**
 * Trajectory predictions under a stored model: validates schedules as profiles are validated,
 * returns the point forecast (mean-fed rollout) with seeded Monte-Carlo bands, warns where a
 * schedule leaves the training data's condition ranges and flags steps beyond the training
 * horizon (schedules longer than the training profiles, up to {@code max-schedule-steps}).
 */
@Service
class NadePredictions {

    static final String[] CONDITIONS = {"temperatureK", "s2", "h2", "h2s"};
    private static final double SUM_TOLERANCE = 1e-6;

    private final NadeModelService models;
    private final NadeProperties properties;
    private final SecureRandom seeds = new SecureRandom();

    NadePredictions(NadeModelService models, NadeProperties properties) {
        this.models = models;
        this.properties = properties;
    }

    record StepInput(Double temperatureK, Double s2, Double h2, Double h2s) {
    }

    record ScheduleInput(String name, List<StepInput> steps) {
    }

    record PhaseInput(Double phase2H, Double phase1T, Double phaseDefect) {
    }

    /**
     * @param schedules what to predict (all of one length, 2 … max-schedule-steps)
     * @param rollouts Monte-Carlo rollouts per schedule (default from settings)
     * @param seed seed of the rollouts (drawn and returned when absent)
     * @param z0 the phase vector at step 0 (default (0, 0, 1): all MoO3)
     */
    record Request(List<ScheduleInput> schedules, Integer rollouts, Long seed, PhaseInput z0) {
    }

    /**
     * @param mean the point forecast (the mean-fed rollout)
     * @param sampleMean the mean of the Monte-Carlo rollouts
     * @param p5 5th percentile of the rollouts (p5–p95: a 90 % prediction band)
     */
    record PhaseStats(double mean, double sampleMean, double p5, double p50, double p95) {
    }

    /** @param extrapolated t is beyond the model's training horizon (t >= the training profiles' steps) */
    record StepPrediction(int t, boolean extrapolated, PhaseStats phase2H, PhaseStats phase1T,
            PhaseStats phaseDefect) {
    }

    record RangeWarning(int step, String condition, double value, double trainingMin, double trainingMax) {
    }

    /**
     * Steps from {@code firstStep} on lie beyond the training horizon: the model was trained on
     * profiles of {@code trainingSteps} steps and is rolled on past them.
     */
    record HorizonWarning(int firstStep, int trainingSteps, String message) {
    }

    record SchedulePrediction(int index, String name, List<StepPrediction> steps, List<RangeWarning> warnings,
            HorizonWarning horizonWarning) {
    }

    record Response(UUID modelId, int rollouts, long seed, PhaseVector z0, List<SchedulePrediction> predictions) {
    }

    Response predict(UUID modelId, Request request) {
        NadeModelInfo info = models.get(modelId);
        if (request == null || request.schedules() == null || request.schedules().isEmpty()) {
            throw new InvalidPredictionRequestException("schedules", "at least one schedule is required");
        }
        if (request.schedules().size() > properties.maxSchedules()) {
            throw new InvalidPredictionRequestException("schedules", "at most " + properties.maxSchedules()
                    + " schedules per request");
        }
        int rollouts = request.rollouts() == null ? properties.defaultRollouts() : request.rollouts();
        if (rollouts < 1 || rollouts > properties.maxRollouts()) {
            throw new InvalidPredictionRequestException("rollouts", "must be between 1 and " + properties.maxRollouts());
        }
        if ((long) rollouts * request.schedules().size() > properties.maxPredictionRows()) {
            throw new InvalidPredictionRequestException("rollouts", "schedules x rollouts must not exceed "
                    + properties.maxPredictionRows());
        }
        PhaseVector z0 = z0(request.z0());
        List<Schedule> schedules = new ArrayList<>(request.schedules().size());
        for (int i = 0; i < request.schedules().size(); i++) {
            schedules.add(schedule(i, request.schedules().get(i), properties.maxScheduleSteps()));
        }
        int length = schedules.get(0).length();
        for (int i = 1; i < schedules.size(); i++) {
            if (schedules.get(i).length() != length) {
                throw new InvalidPredictionRequestException(i, null, "steps", "has " + schedules.get(i).length()
                        + " steps; all schedules of a request need the same number (schedule 0 has " + length + ")");
            }
        }
        long seed = request.seed() != null ? request.seed() : seeds.nextLong();
        List<TrajectoryForecast> forecasts = models.load(modelId).forecast(schedules, z0, rollouts, seed);
        ConditionBounds ranges = info.trainingConditionRanges();
        List<SchedulePrediction> out = new ArrayList<>(schedules.size());
        for (int i = 0; i < schedules.size(); i++) {
            TrajectoryForecast f = forecasts.get(i);
            List<StepPrediction> steps = new ArrayList<>(f.steps());
            for (int t = 0; t < f.steps(); t++) {
                steps.add(new StepPrediction(t, t >= info.steps(), stats(f, t, 0), stats(f, t, 1), stats(f, t, 2)));
            }
            out.add(new SchedulePrediction(i, request.schedules().get(i).name(), steps,
                    warnings(schedules.get(i), ranges), horizonWarning(f.steps(), info.steps())));
        }
        return new Response(modelId, rollouts, seed, z0, out);
    }

    private static PhaseStats stats(TrajectoryForecast f, int t, int k) {
        return new PhaseStats(f.mean()[t][k], f.sampleMean()[t][k], f.p5()[t][k], f.p50()[t][k], f.p95()[t][k]);
    }

    static HorizonWarning horizonWarning(int steps, int trainingSteps) {
        if (steps <= trainingSteps) {
            return null;
        }
        return new HorizonWarning(trainingSteps, trainingSteps, "steps " + trainingSteps + " to " + (steps - 1)
                + " lie beyond the " + trainingSteps + "-step profiles the model was trained on: it extrapolates"
                + " in time there (the bands still propagate its uncertainty but nothing in the data checked them)");
    }

    /** Steps 0..n-2 whose conditions lie outside the training inputs' ranges (the last step has no effect). */
    static List<RangeWarning> warnings(Schedule schedule, ConditionBounds ranges) {
        List<RangeWarning> warnings = new ArrayList<>();
        for (int t = 0; t < schedule.length() - 1; t++) {
            ConditionVector x = schedule.at(t);
            for (int c = 0; c < ConditionVector.SIZE; c++) {
                double v = x.get(c);
                if (v < ranges.min(c) || v > ranges.max(c)) {
                    warnings.add(new RangeWarning(t, CONDITIONS[c], v, ranges.min(c), ranges.max(c)));
                }
            }
        }
        return warnings;
    }

    /** A schedule of 2 … {@code maxSteps} steps (any length the model can roll, including past its training horizon). */
    static Schedule schedule(int index, ScheduleInput input, int maxSteps) {
        if (input == null || input.steps() == null) {
            throw new InvalidPredictionRequestException(index, null, "steps", "is missing");
        }
        if (input.steps().size() < 2 || input.steps().size() > maxSteps) {
            throw new InvalidPredictionRequestException(index, null, "steps", "has " + input.steps().size()
                    + " steps; a schedule needs 2 to " + maxSteps);
        }
        int steps = input.steps().size();
        List<ConditionVector> vectors = new ArrayList<>(steps);
        for (int t = 0; t < steps; t++) {
            StepInput s = input.steps().get(t);
            if (s == null) {
                throw new InvalidPredictionRequestException(index, t, "steps", "is missing");
            }
            Double[] values = {s.temperatureK(), s.s2(), s.h2(), s.h2s()};
            for (int c = 0; c < values.length; c++) {
                Double v = values[c];
                if (v == null || !Double.isFinite(v)) {
                    throw new InvalidPredictionRequestException(index, t, CONDITIONS[c], "must be a finite number");
                }
                if (c == 0 && !(v > 0)) {
                    throw new InvalidPredictionRequestException(index, t, CONDITIONS[c], "must be > 0 K");
                }
                if (c > 0 && v < 0) {
                    throw new InvalidPredictionRequestException(index, t, CONDITIONS[c], "must be >= 0");
                }
            }
            vectors.add(new ConditionVector(values[0], values[1], values[2], values[3]));
        }
        return new Schedule(vectors);
    }

    static PhaseVector z0(PhaseInput input) {
        if (input == null) {
            return PhaseVector.INITIAL;
        }
        Double[] values = {input.phase2H(), input.phase1T(), input.phaseDefect()};
        double sum = 0;
        for (Double v : values) {
            if (v == null || !Double.isFinite(v) || v < 0 || v > 1) {
                throw new InvalidPredictionRequestException("z0", "each phase fraction must be a number in [0, 1]");
            }
            sum += v;
        }
        if (Math.abs(sum - 1) > SUM_TOLERANCE) {
            throw new InvalidPredictionRequestException("z0", "phase fractions must sum to 1, got " + sum);
        }
        return new PhaseVector(values[0], values[1], values[2]);
    }
}
