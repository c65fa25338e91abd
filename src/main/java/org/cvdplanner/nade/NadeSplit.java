package org.cvdplanner.nade;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.cvdplanner.synthesis.ConditionVector;
import org.cvdplanner.synthesis.PhaseVector;
import org.cvdplanner.synthesis.ProfileArrays;

/**
 * A train / validation / test split by profile: a seeded shuffle picks the test and validation
 * profiles, each part keeps the dataset's order (by external id), so the same dataset, fractions
 * and seed always give the same parts.
 */
record NadeSplit(ProfileArrays train, ProfileArrays validation, ProfileArrays test, double validationFraction,
        double testFraction, long seed) {

    static NadeSplit of(ProfileArrays all, double validationFraction, double testFraction, long seed) {
        int n = all.profileCount();
        int[] sizes = sizes(n, validationFraction, testFraction);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        int nTest = sizes[2];
        int nVal = sizes[1];
        int[] test = Arrays.copyOfRange(order, 0, nTest);
        int[] validation = Arrays.copyOfRange(order, nTest, nTest + nVal);
        int[] train = Arrays.copyOfRange(order, nTest + nVal, n);
        return new NadeSplit(select(all, train), select(all, validation), select(all, test), validationFraction,
                testFraction, seed);
    }

    /** Profiles in [train, validation, test] for n profiles; each at least 1. */
    static int[] sizes(int n, double validationFraction, double testFraction) {
        int nTest = Math.max(1, (int) Math.round(n * testFraction));
        int nVal = Math.max(1, (int) Math.round(n * validationFraction));
        int nTrain = n - nTest - nVal;
        if (nTrain < 1) {
            throw new IllegalArgumentException(n + " profiles cannot be split into " + nTrain + " training, " + nVal
                    + " validation and " + nTest + " test profiles");
        }
        return new int[] {nTrain, nVal, nTest};
    }

    static ProfileArrays select(ProfileArrays all, int[] profiles) {
        int[] sorted = profiles.clone();
        Arrays.sort(sorted);
        int s = all.steps();
        int cx = s * ConditionVector.SIZE;
        int cz = s * PhaseVector.SIZE;
        float[] x = new float[sorted.length * cx];
        float[] z = new float[sorted.length * cz];
        List<String> ids = new ArrayList<>(sorted.length);
        for (int i = 0; i < sorted.length; i++) {
            int p = sorted[i];
            System.arraycopy(all.conditions(), p * cx, x, i * cx, cx);
            System.arraycopy(all.phases(), p * cz, z, i * cz, cz);
            ids.add(all.externalIds().get(p));
        }
        return new ProfileArrays(ids, s, x, z);
    }
}
