package org.cvdplanner.proposal;

import org.cvdplanner.synthesis.Schedule;

/**
 * The shape of a schedule in the terms of the reference work's finding: an early hot phase
 * (&gt; 3000 K) that reduces and sulfidises MoO3, then annealing at an intermediate temperature
 * (~2000 K) where 2H crystallises; low S2 early.
 *
 * @param peakTemperatureK the highest temperature
 * @param peakStep its first step
 * @param hotSteps steps at or above {@code hotThresholdK}
 * @param firstHotStep first step at or above the threshold, or null
 * @param lastHotStep last step of the first run of hot steps, or null
 * @param meanTemperatureAfterHotK mean temperature of the steps after that run (null when none)
 * @param meanS2FirstThreeSteps mean S2 of steps 0..2
 * @param meanS2Later mean S2 of steps 3..n−1
 * @param hotThenAnneal true when the first hot run starts in the first half and is followed by
 *     cooler steps whose mean lies between 1500 K and the threshold
 * @param hotThresholdK what counts as hot
 */
public record ScheduleShape(double peakTemperatureK, int peakStep, int hotSteps, Integer firstHotStep,
        Integer lastHotStep, Double meanTemperatureAfterHotK, double meanS2FirstThreeSteps, double meanS2Later,
        boolean hotThenAnneal, double hotThresholdK) {

    static final double HOT_K = 3000;

    static ScheduleShape of(Schedule s) {
        int n = s.length();
        int peak = 0;
        int hot = 0;
        Integer first = null;
        Integer last = null;
        for (int t = 0; t < n; t++) {
            double temperature = s.at(t).temperatureK();
            if (temperature > s.at(peak).temperatureK()) {
                peak = t;
            }
            if (temperature >= HOT_K) {
                hot++;
                if (first == null) {
                    first = t;
                    last = t;
                } else if (last != null && last == t - 1) {
                    last = t;
                }
            }
        }
        Double after = null;
        if (last != null && last < n - 1) {
            double sum = 0;
            for (int t = last + 1; t < n; t++) {
                sum += s.at(t).temperatureK();
            }
            after = sum / (n - 1 - last);
        }
        double s2Early = 0;
        int early = Math.min(3, n);
        for (int t = 0; t < early; t++) {
            s2Early += s.at(t).s2();
        }
        double s2Late = 0;
        for (int t = early; t < n; t++) {
            s2Late += s.at(t).s2();
        }
        boolean anneal = first != null && first < n / 2 && after != null && after >= 1500 && after < HOT_K;
        return new ScheduleShape(s.at(peak).temperatureK(), peak, hot, first, last, after, s2Early / early,
                n > early ? s2Late / (n - early) : Double.NaN, anneal, HOT_K);
    }
}
