package org.cvdplanner.simulation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.cvdplanner.synthesis.Schedule;

/**
 * Prints the table of reference outcomes in docs/simulator.md: final (Z_19) phase fractions,
 * mean ± replica sd, of constant-temperature and hot-then-anneal schedules (gases 100 unless
 * named), and of random-walk schedules.
 *
 * <pre>
 * ./mvnw -B -q -Pbench test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.cvdplanner.simulation.ReferenceOutcomes [-Dexec.args="64 2021"]
 * </pre>
 */
public final class ReferenceOutcomes {

    private ReferenceOutcomes() {
    }

    public static void main(String[] args) {
        int replicas = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 2021;
        int threads = Runtime.getRuntime().availableProcessors();
        Map<String, Schedule> schedules = new LinkedHashMap<>();
        for (int temperature : new int[] {1000, 1500, 2000, 2500, 2800, 3000, 3300, 3700}) {
            schedules.put("constant " + temperature + " K", CalibrationSchedules.constant(temperature));
        }
        schedules.put("3300 K x8 → 2000 K, S2 30 → 150 (target 3)", CalibrationSchedules.reference());
        schedules.put("3300 K x8 → 2000 K, S2 220 → 150 (target 4)", CalibrationSchedules.hotThenAnneal(3300, 8, 2000, 220, 150));
        schedules.put("3300 K x8 → 2000 K, S2 100", CalibrationSchedules.hotThenAnneal(3300, 8, 2000, 100, 100));
        schedules.put("3300 K x8 → 1500 K, S2 30 → 150 (target 5)", CalibrationSchedules.hotThenAnneal(3300, 8, 1500, 30, 150));
        schedules.put("3300 K x8 → 2500 K, S2 30 → 150", CalibrationSchedules.hotThenAnneal(3300, 8, 2500, 30, 150));
        schedules.put("3300 K x4 → 2000 K, S2 30 → 150", CalibrationSchedules.hotThenAnneal(3300, 4, 2000, 30, 150));
        schedules.put("3300 K x12 → 2000 K, S2 30 → 150", CalibrationSchedules.hotThenAnneal(3300, 12, 2000, 30, 150));
        schedules.put("3000 K x8 → 2000 K, S2 30 → 150", CalibrationSchedules.hotThenAnneal(3000, 8, 2000, 30, 150));
        schedules.put("3600 K x8 → 2000 K, S2 30 → 150", CalibrationSchedules.hotThenAnneal(3600, 8, 2000, 30, 150));

        System.out.printf("command: ./mvnw -B -q -Pbench test-compile exec:java -Dexec.classpathScope=test"
                + " -Dexec.mainClass=%s -Dexec.args=\"%d %d\"%n%n", ReferenceOutcomes.class.getName(), replicas, seed);
        System.out.println("| schedule (20 steps) | final 2H | final 1T | final defect | sulfidised | MoO3 left |");
        System.out.println("|---|---|---|---|---|---|");
        int index = 0;
        for (var entry : schedules.entrySet()) {
            ReplicaSummary s = CvdSimulator.DEFAULT.summarise(entry.getValue(), replicas, Seeds.derive(seed, index++), threads);
            ReplicaSummary.StepSummary last = s.last();
            System.out.printf("| %s | %s | %s | %s | %s | %s |%n", entry.getKey(), format(last.phase2H()),
                    format(last.phase1T()), format(last.phaseDefect()), format(last.sulfidised()),
                    format(last.remainingOxide()));
        }
        int walks = 10_000;
        List<SimulatedRun> runs = CvdSimulator.DEFAULT.simulateRandomWalks(RandomWalkScheduleGenerator.PAPER, seed, 0, walks, threads);
        double[][] values = new double[5][walks];
        for (int i = 0; i < walks; i++) {
            SimulatedRun run = runs.get(i);
            values[0][i] = run.finalPhases().phase2H();
            values[1][i] = run.finalPhases().phase1T();
            values[2][i] = run.finalPhases().phaseDefect();
            values[3][i] = run.sulfidisedFraction(run.steps() - 1);
            values[4][i] = run.remainingOxide(run.steps() - 1);
        }
        System.out.printf("| %,d random walks (sd over schedules) | %s | %s | %s | %s | %s |%n", walks, format(Band.of(values[0])),
                format(Band.of(values[1])), format(Band.of(values[2])), format(Band.of(values[3])), format(Band.of(values[4])));
        System.out.printf("%n(mean ± sd over %d replicas; replica seeds Seeds.derive(Seeds.derive(%d, row), r))%n", replicas, seed);
    }

    private static String format(Band band) {
        return String.format("%.3f ± %.3f", band.mean(), band.sd());
    }
}
