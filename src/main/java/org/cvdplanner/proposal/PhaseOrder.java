package org.cvdplanner.proposal;

/**
 * The order in which the crystalline phases appear along a trajectory (the reference work: 1T
 * nucleates before 2H).
 *
 * @param oneTPeakStep the step of the largest 1T fraction (first such step)
 * @param oneTPeak that fraction
 * @param twoHPeakStep the step of the largest 2H fraction (first such step)
 * @param twoHPeak that fraction
 * @param firstOneTStep the first step with 1T ≥ {@code threshold}, or null
 * @param firstTwoHStep the first step with 2H ≥ {@code threshold}, or null
 * @param twoHOvertakesOneTStep the first step with 2H &gt; 1T after 1T appeared, or null
 * @param oneTPeaksBeforeTwoH true when the 1T peak comes before the 2H peak
 * @param oneTAppearsBeforeTwoH true when 1T reaches the threshold before 2H does
 * @param threshold the fraction that counts as "appeared"
 */
public record PhaseOrder(int oneTPeakStep, double oneTPeak, int twoHPeakStep, double twoHPeak, Integer firstOneTStep,
        Integer firstTwoHStep, Integer twoHOvertakesOneTStep, boolean oneTPeaksBeforeTwoH,
        boolean oneTAppearsBeforeTwoH, double threshold) {

    static final double DEFAULT_THRESHOLD = 0.02;

    /** From a trajectory [steps][3] (2H, 1T, defect). */
    static PhaseOrder of(double[][] z) {
        int oneTPeak = 0;
        int twoHPeak = 0;
        Integer firstOneT = null;
        Integer firstTwoH = null;
        Integer overtakes = null;
        for (int t = 0; t < z.length; t++) {
            if (z[t][1] > z[oneTPeak][1]) {
                oneTPeak = t;
            }
            if (z[t][0] > z[twoHPeak][0]) {
                twoHPeak = t;
            }
            if (firstOneT == null && z[t][1] >= DEFAULT_THRESHOLD) {
                firstOneT = t;
            }
            if (firstTwoH == null && z[t][0] >= DEFAULT_THRESHOLD) {
                firstTwoH = t;
            }
            if (overtakes == null && firstOneT != null && z[t][0] > z[t][1]) {
                overtakes = t;
            }
        }
        boolean appearsFirst = firstOneT != null && (firstTwoH == null || firstOneT < firstTwoH);
        return new PhaseOrder(oneTPeak, z[oneTPeak][1], twoHPeak, z[twoHPeak][0], firstOneT, firstTwoH, overtakes,
                oneTPeak < twoHPeak, appearsFirst, DEFAULT_THRESHOLD);
    }
}
