package org.cvdplanner.nade;

/**
 * Variance-inflation factors fitted after training so that the Monte-Carlo p5–p95 bands cover
 * 90 % of held-out true phase fractions: Monte-Carlo draws use variance × {@code varianceScale[k]}
 * for phase k (2H, 1T, defect). The one-step Gaussian itself (mean, variance, NLL) is unchanged.
 * A model without calibration (every artifact written before calibration existed) samples with
 * factors 1.
 *
 * @param varianceScale the factor per phase
 * @param validationCoverageBefore 90 % band coverage on the calibration profiles with factors 1
 * @param validationCoverageAfter the same with the fitted factors
 * @param profiles validation profiles used
 * @param rollouts Monte-Carlo rollouts per profile used
 * @param seed the seed of those rollouts (common random numbers across iterations)
 * @param iterations coverage evaluations after the first
 */
public record NadeCalibration(double[] varianceScale, double[] validationCoverageBefore,
        double[] validationCoverageAfter, int profiles, int rollouts, long seed, int iterations) {

    static final NadeCalibration NONE = new NadeCalibration(new double[] {1, 1, 1}, null, null, 0, 0, 0, 0);

    public NadeCalibration {
        if (varianceScale == null || varianceScale.length != 3) {
            throw new IllegalArgumentException("varianceScale needs 3 factors");
        }
        for (double f : varianceScale) {
            if (!(f > 0) || !Double.isFinite(f)) {
                throw new IllegalArgumentException("variance factors must be finite and > 0");
            }
        }
        varianceScale = varianceScale.clone();
    }

    float[] scaleAsFloats() {
        return new float[] {(float) varianceScale[0], (float) varianceScale[1], (float) varianceScale[2]};
    }
}
