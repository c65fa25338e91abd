package org.cvdplanner.profile;

import java.util.ArrayList;
import java.util.List;

import org.cvdplanner.synthesis.ConditionVector;
import org.cvdplanner.synthesis.PhaseVector;
import org.cvdplanner.synthesis.Schedule;
import org.cvdplanner.synthesis.SynthesisProfile;
import org.cvdplanner.synthesis.Trajectory;

/**
 * Checks one uploaded profile against its dataset and turns it into a {@link SynthesisProfile}:
 * exactly {@code stepCount} steps with t = 0..n-1 each once, finite numbers, temperature in
 * (0, maxTemperatureK], gas counts in [0, maxMolecules], phases in [0, 1] summing to 1 (or
 * counts in [0, 288] summing to 288). The upper bounds keep values the normaliser would
 * overflow on (1e300 K) out of the datasets.
 */
final class ProfileValidator {

    static final int MAX_EXTERNAL_ID_LENGTH = 200;
    private static final double COUNT_SUM_TOLERANCE = 1e-6;

    private final int stepCount;
    private final PhaseUnit phaseUnit;
    private final double phaseSumTolerance;
    private final double maxTemperatureK;
    private final double maxMolecules;

    ProfileValidator(int stepCount, PhaseUnit phaseUnit, ProfileProperties properties) {
        this.stepCount = stepCount;
        this.phaseUnit = phaseUnit;
        this.phaseSumTolerance = properties.phaseSumTolerance();
        this.maxTemperatureK = properties.maxTemperatureK();
        this.maxMolecules = properties.maxMolecules();
    }

    int stepCount() {
        return stepCount;
    }

    /** The result of checking one profile: the profile, or why it was rejected. */
    record Checked(SynthesisProfile profile, List<ProfileViolation> violations) {
        boolean valid() {
            return violations.isEmpty();
        }
    }

    /**
     * @param label how to name the profile in errors when its external id is missing
     */
    Checked check(String label, String externalId, List<ProfileStep> steps) {
        List<ProfileViolation> violations = new ArrayList<>();
        String name = externalId == null || externalId.isBlank() ? label : externalId;
        if (externalId == null || externalId.isBlank()) {
            violations.add(new ProfileViolation(name, null, "externalId", "is missing"));
        } else if (externalId.length() > MAX_EXTERNAL_ID_LENGTH) {
            violations.add(new ProfileViolation(name, null, "externalId", "is longer than " + MAX_EXTERNAL_ID_LENGTH + " characters"));
        } else if (externalId.chars().anyMatch(Character::isISOControl)) {
            violations.add(new ProfileViolation(name, null, "externalId", "contains control characters"));
        }
        if (steps == null || steps.isEmpty()) {
            violations.add(new ProfileViolation(name, null, "steps", "no steps; the dataset needs " + stepCount));
            return new Checked(null, violations);
        }
        if (steps.size() != stepCount) {
            violations.add(new ProfileViolation(name, null, "steps",
                    "has " + steps.size() + " steps; the dataset needs exactly " + stepCount + " (t = 0.." + (stepCount - 1) + ")"));
            return new Checked(null, violations);
        }
        ProfileStep[] byT = new ProfileStep[stepCount];
        for (int i = 0; i < steps.size(); i++) {
            ProfileStep step = steps.get(i);
            if (step == null) {
                violations.add(new ProfileViolation(name, i, null, "step is null"));
                continue;
            }
            if (step.t() == null) {
                violations.add(new ProfileViolation(name, i, "t", "is missing"));
            } else if (step.t() < 0 || step.t() >= stepCount) {
                violations.add(new ProfileViolation(name, step.t(), "t", "must be in 0.." + (stepCount - 1)));
            } else if (byT[step.t()] != null) {
                violations.add(new ProfileViolation(name, step.t(), "t", "appears more than once"));
            } else {
                byT[step.t()] = step;
            }
        }
        if (!violations.isEmpty()) {
            return new Checked(null, violations);
        }
        List<ConditionVector> xs = new ArrayList<>(stepCount);
        List<PhaseVector> zs = new ArrayList<>(stepCount);
        double scale = phaseUnit == PhaseUnit.COUNT ? PhaseVector.MO_ATOMS : 1.0;
        for (int t = 0; t < stepCount; t++) {
            ProfileStep s = byT[t];
            int before = violations.size();
            finite(name, t, "temperatureK", s.temperatureK(), violations);
            finite(name, t, "s2", s.s2(), violations);
            finite(name, t, "h2", s.h2(), violations);
            finite(name, t, "h2s", s.h2s(), violations);
            finite(name, t, "phase2H", s.phase2H(), violations);
            finite(name, t, "phase1T", s.phase1T(), violations);
            finite(name, t, "phaseDefect", s.phaseDefect(), violations);
            if (violations.size() > before) {
                continue;
            }
            if (s.temperatureK() <= 0 || s.temperatureK() > maxTemperatureK) {
                violations.add(new ProfileViolation(name, t, "temperatureK",
                        "must be in (0, " + maxTemperatureK + "] K, was " + s.temperatureK()));
            }
            nonNegative(name, t, "s2", s.s2(), violations);
            nonNegative(name, t, "h2", s.h2(), violations);
            nonNegative(name, t, "h2s", s.h2s(), violations);
            inRange(name, t, "phase2H", s.phase2H(), scale, violations);
            inRange(name, t, "phase1T", s.phase1T(), scale, violations);
            inRange(name, t, "phaseDefect", s.phaseDefect(), scale, violations);
            double sum = s.phase2H() + s.phase1T() + s.phaseDefect();
            if (phaseUnit == PhaseUnit.COUNT) {
                if (Math.abs(sum - PhaseVector.MO_ATOMS) > COUNT_SUM_TOLERANCE) {
                    violations.add(new ProfileViolation(name, t, "phases",
                            "phase counts sum to " + sum + ", must sum to the " + PhaseVector.MO_ATOMS + " Mo atoms"));
                }
            } else if (Math.abs(sum - 1.0) > phaseSumTolerance) {
                violations.add(new ProfileViolation(name, t, "phases",
                        "phase fractions sum to " + sum + ", must sum to 1 ± " + phaseSumTolerance));
            }
            xs.add(new ConditionVector(s.temperatureK(), s.s2(), s.h2(), s.h2s()));
            zs.add(new PhaseVector(s.phase2H() / scale, s.phase1T() / scale, s.phaseDefect() / scale));
        }
        if (!violations.isEmpty()) {
            return new Checked(null, violations);
        }
        return new Checked(new SynthesisProfile(externalId, new Schedule(xs), new Trajectory(zs)), List.of());
    }

    private static void finite(String name, int t, String field, Double value, List<ProfileViolation> violations) {
        if (value == null) {
            violations.add(new ProfileViolation(name, t, field, "is missing"));
        } else if (!Double.isFinite(value)) {
            violations.add(new ProfileViolation(name, t, field, "must be a finite number, was " + value));
        }
    }

    private void nonNegative(String name, int t, String field, double value, List<ProfileViolation> violations) {
        if (value < 0 || value > maxMolecules) {
            violations.add(new ProfileViolation(name, t, field,
                    "molecule count must be in [0, " + maxMolecules + "], was " + value));
        }
    }

    private void inRange(String name, int t, String field, double value, double scale, List<ProfileViolation> violations) {
        if (value < 0 || value > scale) {
            violations.add(new ProfileViolation(name, t, field, phaseUnit == PhaseUnit.COUNT
                    ? "atom count must be in [0, " + PhaseVector.MO_ATOMS + "], was " + value
                    : "fraction must be in [0, 1], was " + value));
        }
    }
}
