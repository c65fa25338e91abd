package org.cvdplanner.synthesis;

import java.util.ArrayList;
import java.util.List;

/**
 * Many profiles of equal length as flat row-major arrays, the form training code wants:
 * {@code conditions[(p * steps + t) * 4 + c]} and {@code phases[(p * steps + t) * 3 + k]}.
 * Not defensively copied (it is the bulk-data carrier); treat as read-only.
 */
public record ProfileArrays(List<String> externalIds, int steps, float[] conditions, float[] phases) {

    public ProfileArrays {
        int n = externalIds.size();
        if (conditions.length != n * steps * ConditionVector.SIZE || phases.length != n * steps * PhaseVector.SIZE) {
            throw new IllegalArgumentException("array sizes do not match " + n + " profiles of " + steps + " steps");
        }
    }

    public int profileCount() {
        return externalIds.size();
    }

    public float condition(int profile, int step, int component) {
        return conditions[(profile * steps + step) * ConditionVector.SIZE + component];
    }

    public float phase(int profile, int step, int component) {
        return phases[(profile * steps + step) * PhaseVector.SIZE + component];
    }

    public static ProfileArrays of(List<SynthesisProfile> profiles) {
        int n = profiles.size();
        int steps = n == 0 ? 0 : profiles.get(0).length();
        float[] x = new float[n * steps * ConditionVector.SIZE];
        float[] z = new float[n * steps * PhaseVector.SIZE];
        List<String> ids = new ArrayList<>(n);
        for (int p = 0; p < n; p++) {
            SynthesisProfile profile = profiles.get(p);
            if (profile.length() != steps) {
                throw new IllegalArgumentException("profile " + profile.externalId() + " has "
                        + profile.length() + " steps, expected " + steps);
            }
            ids.add(profile.externalId());
            for (int t = 0; t < steps; t++) {
                for (int c = 0; c < ConditionVector.SIZE; c++) {
                    x[(p * steps + t) * ConditionVector.SIZE + c] = (float) profile.schedule().at(t).get(c);
                }
                for (int k = 0; k < PhaseVector.SIZE; k++) {
                    z[(p * steps + t) * PhaseVector.SIZE + k] = (float) profile.trajectory().at(t).get(k);
                }
            }
        }
        return new ProfileArrays(ids, steps, x, z);
    }

    public SynthesisProfile profile(int p) {
        List<ConditionVector> xs = new ArrayList<>(steps);
        List<PhaseVector> zs = new ArrayList<>(steps);
        for (int t = 0; t < steps; t++) {
            xs.add(new ConditionVector(condition(p, t, 0), condition(p, t, 1), condition(p, t, 2), condition(p, t, 3)));
            zs.add(new PhaseVector(phase(p, t, 0), phase(p, t, 1), phase(p, t, 2)));
        }
        return new SynthesisProfile(externalIds.get(p), new Schedule(xs), new Trajectory(zs));
    }
}
