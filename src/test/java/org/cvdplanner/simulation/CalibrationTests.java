package org.cvdplanner.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.cvdplanner.synthesis.Schedule;
import org.junit.jupiter.api.Test;

/**
 * The nine calibration targets of DESIGN.md ("The built-in CVD simulator"): the model's
 * contract. Means are over {@value #REPLICAS} stochastic replicas (≥ 8 as required), gases 100
 * unless named; "final" is the last observed phase vector Z_19 of a 20-step schedule. Each test
 * prints what it measured (docs/simulator.md quotes these lines).
 */
class CalibrationTests {

    static final int REPLICAS = 16;
    static final long SEED = 20_210_108L;
    private final CvdSimulator simulator = CvdSimulator.DEFAULT;

    private ReplicaSummary summarise(Schedule schedule) {
        return simulator.summarise(schedule, REPLICAS, SEED, 2);
    }

    private double finalMean2H(Schedule schedule) {
        return summarise(schedule).last().phase2H().mean();
    }

    private static void report(String target, String measured) {
        System.out.println("[calibration] " + target + ": " + measured);
    }

    @Test
    void target1_constant1000Or2000KelvinGivesNoReaction() {
        for (double temperature : new double[] {1000, 2000}) {
            double final2H = finalMean2H(CalibrationSchedules.constant(temperature));
            report("1 constant " + (int) temperature + " K, final 2H < 0.05", String.format("%.4f", final2H));
            assertThat(final2H).isLessThan(0.05);
        }
    }

    @Test
    void target2_hotForTooLongDisorders() {
        for (double temperature : new double[] {3000, 3300, 3700}) {
            double final2H = finalMean2H(CalibrationSchedules.constant(temperature));
            report("2 constant " + (int) temperature + " K, final 2H <= 0.55", String.format("%.4f", final2H));
            assertThat(final2H).isLessThanOrEqualTo(0.55);
        }
    }

    @Test
    void target3_hotThenAnnealWithLowInitialSulfurGivesMostly2H() {
        double final2H = finalMean2H(CalibrationSchedules.reference());
        report("3 3300 K x8 then 2000 K, S2 30 then 150, final 2H >= 0.80", String.format("%.4f", final2H));
        assertThat(final2H).isGreaterThanOrEqualTo(0.80);
    }

    @Test
    void target4_highInitialSulfurLowersThe2HYield() {
        double reference = finalMean2H(CalibrationSchedules.reference());
        double highS2 = finalMean2H(CalibrationSchedules.hotThenAnneal(3300, 8, 2000, 220, 150));
        report("4 same with S2 = 220 first, lower than (3) by >= 0.04",
                String.format("%.4f (3: %.4f, difference %.4f)", highS2, reference, reference - highS2));
        assertThat(reference - highS2).isGreaterThanOrEqualTo(0.04);
    }

    @Test
    void target5_annealTooColdDoesNotCrystallise() {
        double reference = finalMean2H(CalibrationSchedules.reference());
        double cold = finalMean2H(CalibrationSchedules.hotThenAnneal(3300, 8, 1500, 30, 150));
        report("5 3300 K x8 then 1500 K, lower than (3) by >= 0.3",
                String.format("%.4f (3: %.4f, difference %.4f)", cold, reference, reference - cold));
        assertThat(reference - cold).isGreaterThanOrEqualTo(0.3);
    }

    @Test
    void target6_oneTPeaksBefore2H() {
        ReplicaSummary summary = summarise(CalibrationSchedules.reference());
        int peak1T = argmax(summary.steps().stream().mapToDouble(s -> s.phase1T().mean()).toArray());
        int peak2H = argmax(summary.steps().stream().mapToDouble(s -> s.phase2H().mean()).toArray());
        List<SimulatedRun> runs = simulator.replicas(CalibrationSchedules.reference(), REPLICAS, SEED, 2);
        long inOrder = runs.stream().filter(r -> argmax(series(r, 1)) < argmax(series(r, 0))).count();
        report("6 in (3) the mean 1T fraction peaks before the mean 2H fraction",
                String.format("1T peaks at t=%d (%.4f), 2H at t=%d (%.4f); in order in %d of %d replicas", peak1T,
                        summary.steps().get(peak1T).phase1T().mean(), peak2H,
                        summary.steps().get(peak2H).phase2H().mean(), inOrder, runs.size()));
        assertThat(peak1T).isLessThan(peak2H);
        assertThat(inOrder).isEqualTo(runs.size());
    }

    @Test
    void target7_randomWalkSchedulesGiveAModestMeanYield() {
        int schedules = 2_000;
        List<SimulatedRun> runs = simulator.simulateRandomWalks(RandomWalkScheduleGenerator.PAPER, SEED, 0, schedules, 2);
        double mean = runs.stream().mapToDouble(r -> r.finalPhases().phase2H()).average().orElseThrow();
        report("7 random-walk schedules, mean final 2H in [0.1, 0.35]",
                String.format("%.4f over %d schedules", mean, schedules));
        assertThat(mean).isBetween(0.1, 0.35);
    }

    @Test
    void target8_replicaSpreadOfTheReferenceIsSmallButNotZero() {
        int replicas = 64;
        ReplicaSummary summary = simulator.summarise(CalibrationSchedules.reference(), replicas, SEED, 2);
        double sd = summary.last().phase2H().sd();
        report("8 replica sd of final 2H in (3) in [0.005, 0.05]", String.format("%.4f over %d replicas", sd, replicas));
        assertThat(sd).isBetween(0.005, 0.05);
    }

    @Test
    void target9_sameSeedGivesTheSameProfileBitForBit() {
        Schedule schedule = RandomWalkScheduleGenerator.PAPER.generate(7);
        SimulatedRun first = simulator.simulate(schedule, 123_456_789L);
        SimulatedRun again = new CvdSimulator(SimulatorConstants.DEFAULT).simulate(
                RandomWalkScheduleGenerator.PAPER.generate(7), 123_456_789L);
        assertThat(again).isEqualTo(first);
        for (int t = 0; t < schedule.length(); t++) {
            for (int k = 0; k < 3; k++) {
                assertThat(Double.doubleToRawLongBits(again.phases(t).get(k)))
                        .isEqualTo(Double.doubleToRawLongBits(first.phases(t).get(k)));
            }
        }
        assertThat(again.toProfile("x")).isEqualTo(first.toProfile("x"));
        SimulatedRun otherSeed = simulator.simulate(schedule, 123_456_790L);
        assertThat(otherSeed).isNotEqualTo(first);
        report("9 same seed => identical profile", "identical (20 steps x 3 phases compared bit for bit); another seed differs");
    }

    private static double[] series(SimulatedRun run, int phase) {
        double[] values = new double[run.steps()];
        for (int t = 0; t < values.length; t++) {
            values[t] = run.phases(t).get(phase);
        }
        return values;
    }

    /** The first index of the largest value. */
    private static int argmax(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
