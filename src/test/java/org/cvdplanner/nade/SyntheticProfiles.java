package org.cvdplanner.nade;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.cvdplanner.synthesis.ConditionBounds;
import org.cvdplanner.synthesis.PhaseVector;
import org.cvdplanner.synthesis.ProfileArrays;

/**
 * A small stochastic stand-in for the simulator, for unit tests: random-walk schedules in the
 * paper's bounds and binomial transitions of 288 atoms (defect -> 1T -> 2H, 2H -> defect when
 * hot), with rates that depend on temperature and S2. Learnable, discrete like real data.
 */
final class SyntheticProfiles {

    private SyntheticProfiles() {
    }

    static ProfileArrays generate(int count, int steps, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        ConditionBounds bounds = ConditionBounds.PAPER;
        double[] stepStd = {250, 20, 20, 20};
        float[] x = new float[count * steps * 4];
        float[] z = new float[count * steps * 3];
        List<String> ids = new ArrayList<>(count);
        for (int p = 0; p < count; p++) {
            ids.add(String.format("syn-%06d", p));
            double[] c = new double[4];
            for (int k = 0; k < 4; k++) {
                c[k] = bounds.min(k) + rng.nextDouble() * (bounds.max(k) - bounds.min(k));
            }
            int defect = PhaseVector.MO_ATOMS;
            int oneT = 0;
            int twoH = 0;
            for (int t = 0; t < steps; t++) {
                if (t > 0) {
                    for (int k = 0; k < 4; k++) {
                        c[k] = bounds.clip(k, c[k] + stepStd[k] * rng.nextGaussian());
                    }
                }
                int row = p * steps + t;
                for (int k = 0; k < 4; k++) {
                    x[row * 4 + k] = (float) c[k];
                }
                z[row * 3] = twoH / (float) PhaseVector.MO_ATOMS;
                z[row * 3 + 1] = oneT / (float) PhaseVector.MO_ATOMS;
                z[row * 3 + 2] = defect / (float) PhaseVector.MO_ATOMS;
                double temperature = c[0];
                double pSulfidise = 0.35 * sigmoid((temperature - 2400) / 200) * (c[1] / 250);
                double pCrystallise = 0.3 * sigmoid((temperature - 1600) / 150) * (1 - sigmoid((temperature - 3300) / 150));
                double pDisorder = 0.25 * sigmoid((temperature - 3300) / 150);
                int toOneT = binomial(defect, pSulfidise, rng);
                int toTwoH = binomial(oneT, pCrystallise, rng);
                int toDefect = binomial(twoH, pDisorder, rng);
                defect += toDefect - toOneT;
                oneT += toOneT - toTwoH;
                twoH += toTwoH - toDefect;
            }
        }
        return new ProfileArrays(ids, steps, x, z);
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    private static int binomial(int n, double p, SplittableRandom rng) {
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (rng.nextDouble() < p) {
                k++;
            }
        }
        return k;
    }

    /** Profiles [from, to) of {@code data} as their own arrays. */
    static ProfileArrays slice(ProfileArrays data, int from, int to) {
        int s = data.steps();
        float[] x = java.util.Arrays.copyOfRange(data.conditions(), from * s * 4, to * s * 4);
        float[] z = java.util.Arrays.copyOfRange(data.phases(), from * s * 3, to * s * 3);
        return new ProfileArrays(data.externalIds().subList(from, to), s, x, z);
    }
}
