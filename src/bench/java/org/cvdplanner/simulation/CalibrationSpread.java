package org.cvdplanner.simulation;

import java.util.Arrays;
import java.util.DoubleSummaryStatistics;

/**
 * How much the calibration measurements move with the seed: each target's statistic (16
 * replicas, as in {@link CalibrationTests}) over many seeds, min / mean / max. Shows the margin
 * by which the targets hold, not just that they hold for the tests' seed.
 *
 * <pre>
 * ./mvnw -B -q -Pbench test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.cvdplanner.simulation.CalibrationSpread [-Dexec.args="50"]
 * </pre>
 */
public final class CalibrationSpread {

    private CalibrationSpread() {
    }

    public static void main(String[] args) {
        int seeds = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int replicas = CalibrationTests.REPLICAS;
        int threads = Runtime.getRuntime().availableProcessors();
        CvdSimulator sim = CvdSimulator.DEFAULT;
        String[] names = {"1 constant 1000 K final 2H (< 0.05)", "1 constant 2000 K final 2H (< 0.05)",
                "2 constant 3000 K final 2H (<= 0.55)", "2 constant 3300 K final 2H (<= 0.55)",
                "2 constant 3700 K final 2H (<= 0.55)", "3 reference final 2H (>= 0.80)",
                "4 reference minus S2-220 variant (>= 0.04)", "5 reference minus 1500-K anneal (>= 0.3)",
                "6 2H peak step minus 1T peak step (> 0)", "7 random-walk mean final 2H, 2,000 walks ([0.1, 0.35])",
                "8 replica sd of final 2H in (3), 16 replicas ([0.005, 0.05])"};
        double[][] values = new double[names.length][seeds];
        for (int s = 0; s < seeds; s++) {
            long seed = Seeds.derive(777, s);
            values[0][s] = mean2H(sim, CalibrationSchedules.constant(1000), replicas, Seeds.derive(seed, 0), threads);
            values[1][s] = mean2H(sim, CalibrationSchedules.constant(2000), replicas, Seeds.derive(seed, 1), threads);
            values[2][s] = mean2H(sim, CalibrationSchedules.constant(3000), replicas, Seeds.derive(seed, 2), threads);
            values[3][s] = mean2H(sim, CalibrationSchedules.constant(3300), replicas, Seeds.derive(seed, 3), threads);
            values[4][s] = mean2H(sim, CalibrationSchedules.constant(3700), replicas, Seeds.derive(seed, 4), threads);
            ReplicaSummary reference = sim.summarise(CalibrationSchedules.reference(), replicas, Seeds.derive(seed, 5), threads);
            values[5][s] = reference.last().phase2H().mean();
            values[6][s] = values[5][s] - mean2H(sim, CalibrationSchedules.hotThenAnneal(3300, 8, 2000, 220, 150), replicas,
                    Seeds.derive(seed, 6), threads);
            values[7][s] = values[5][s] - mean2H(sim, CalibrationSchedules.hotThenAnneal(3300, 8, 1500, 30, 150), replicas,
                    Seeds.derive(seed, 7), threads);
            values[8][s] = argmax(reference, 0) - argmax(reference, 1);
            values[9][s] = sim.simulateRandomWalks(RandomWalkScheduleGenerator.PAPER, Seeds.derive(seed, 9), 0, 2000, threads)
                    .stream().mapToDouble(r -> r.finalPhases().phase2H()).average().orElseThrow();
            values[10][s] = reference.last().phase2H().sd();
        }
        System.out.printf("command: ./mvnw -B -q -Pbench test-compile exec:java -Dexec.classpathScope=test"
                + " -Dexec.mainClass=%s -Dexec.args=\"%d\"%n", CalibrationSpread.class.getName(), seeds);
        System.out.printf("%d seeds, %d replicas per mean%n%n| target | min | mean | max |%n|---|---|---|---|%n", seeds, replicas);
        for (int i = 0; i < names.length; i++) {
            DoubleSummaryStatistics st = Arrays.stream(values[i]).summaryStatistics();
            System.out.printf("| %s | %.4f | %.4f | %.4f |%n", names[i], st.getMin(), st.getAverage(), st.getMax());
        }
    }

    private static double mean2H(CvdSimulator sim, org.cvdplanner.synthesis.Schedule schedule, int replicas, long seed,
            int threads) {
        return sim.summarise(schedule, replicas, seed, threads).last().phase2H().mean();
    }

    private static int argmax(ReplicaSummary summary, int phase) {
        int best = 0;
        for (int t = 1; t < summary.steps().size(); t++) {
            double v = phase == 0 ? summary.steps().get(t).phase2H().mean() : summary.steps().get(t).phase1T().mean();
            double b = phase == 0 ? summary.steps().get(best).phase2H().mean() : summary.steps().get(best).phase1T().mean();
            if (v > b) {
                best = t;
            }
        }
        return best;
    }
}
