package org.cvdplanner.nade;

import java.util.Arrays;

import org.cvdplanner.synthesis.ConditionVector;
import org.cvdplanner.synthesis.PhaseVector;
import org.cvdplanner.synthesis.ProfileArrays;

/**
 * Standardises the network input [Z_t, X_t] (3 phases then 4 conditions) with the mean and
 * standard deviation of the training split, and remembers the condition ranges seen there.
 *
 * @param mean per input feature
 * @param std per input feature (never below a small positive floor)
 * @param conditionMin smallest value of each condition in the training inputs
 * @param conditionMax largest value of each condition in the training inputs
 */
record NadeNormaliser(double[] mean, double[] std, double[] conditionMin, double[] conditionMax) {

    static final int INPUTS = PhaseVector.SIZE + ConditionVector.SIZE;
    private static final double MIN_STD = 1e-6;

    NadeNormaliser {
        if (mean.length != INPUTS || std.length != INPUTS || conditionMin.length != ConditionVector.SIZE
                || conditionMax.length != ConditionVector.SIZE) {
            throw new IllegalArgumentException("normaliser needs " + INPUTS + " features");
        }
        mean = mean.clone();
        std = std.clone();
        conditionMin = conditionMin.clone();
        conditionMax = conditionMax.clone();
    }

    /** Fits on the inputs the network sees: steps 0 .. steps-2 of every profile. */
    static NadeNormaliser fit(ProfileArrays train) {
        return fit(train, false);
    }

    /**
     * @param standardisePhases standardise the phase fractions too (what earlier versions did;
     *     kept for comparisons)
     */
    static NadeNormaliser fit(ProfileArrays train, boolean standardisePhases) {
        if (train.profileCount() == 0 || train.steps() < 2) {
            throw new IllegalArgumentException("the training split needs at least one profile of 2 or more steps");
        }
        double[] sum = new double[INPUTS];
        double[] sumSq = new double[INPUTS];
        double[] min = new double[ConditionVector.SIZE];
        double[] max = new double[ConditionVector.SIZE];
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        long rows = 0;
        for (int p = 0; p < train.profileCount(); p++) {
            for (int t = 0; t < train.steps() - 1; t++) {
                for (int k = 0; k < PhaseVector.SIZE; k++) {
                    double v = train.phase(p, t, k);
                    sum[k] += v;
                    sumSq[k] += v * v;
                }
                for (int c = 0; c < ConditionVector.SIZE; c++) {
                    double v = train.condition(p, t, c);
                    sum[PhaseVector.SIZE + c] += v;
                    sumSq[PhaseVector.SIZE + c] += v * v;
                    min[c] = Math.min(min[c], v);
                    max[c] = Math.max(max[c], v);
                }
                rows++;
            }
        }
        double[] mean = new double[INPUTS];
        double[] std = new double[INPUTS];
        // Phase fractions go in as they are (already in [0, 1]); standardising them, as earlier
        // versions did, blows a rare phase (2H in realistic data: std ~0.05) up twentyfold. The
        // conditions (hundreds to thousands) are standardised. As the PyTorch reference.
        for (int i = 0; i < PhaseVector.SIZE; i++) {
            mean[i] = 0;
            std[i] = 1;
        }
        for (int i = standardisePhases ? 0 : PhaseVector.SIZE; i < INPUTS; i++) {
            mean[i] = sum[i] / rows;
            std[i] = Math.max(MIN_STD, Math.sqrt(Math.max(0, sumSq[i] / rows - mean[i] * mean[i])));
        }
        return new NadeNormaliser(mean, std, min, max);
    }

    /** Normalised value of input feature {@code i} (0..2 phases, 3..6 conditions). */
    float apply(int feature, float value) {
        return (float) ((value - mean[feature]) / std[feature]);
    }

    /** Scale and offset as floats for the hot loop: x' = x * scale + offset. */
    float[] scales() {
        float[] s = new float[INPUTS];
        for (int i = 0; i < INPUTS; i++) {
            s[i] = (float) (1.0 / std[i]);
        }
        return s;
    }

    float[] offsets() {
        float[] o = new float[INPUTS];
        for (int i = 0; i < INPUTS; i++) {
            o[i] = (float) (-mean[i] / std[i]);
        }
        return o;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NadeNormaliser n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std)
                && Arrays.equals(conditionMin, n.conditionMin) && Arrays.equals(conditionMax, n.conditionMax);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(mean) * 31 + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "NadeNormaliser[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }
}
