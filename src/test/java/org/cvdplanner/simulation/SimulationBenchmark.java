package org.cvdplanner.simulation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Generates 10,000 random-walk profiles (schedule + lattice run) and reports profiles/s on one
 * thread and on all cores: median of several timed runs after warm-up runs.
 *
 * <pre>
 * ./mvnw -B -q test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.cvdplanner.simulation.SimulationBenchmark [-Dexec.args="10000 5"]
 * </pre>
 */
public final class SimulationBenchmark {

    private SimulationBenchmark() {
    }

    public static void main(String[] args) {
        int profiles = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int repetitions = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int cores = Runtime.getRuntime().availableProcessors();
        CvdSimulator simulator = CvdSimulator.DEFAULT;
        RandomWalkScheduleGenerator generator = RandomWalkScheduleGenerator.PAPER;
        System.out.println("command: ./mvnw -B -q test-compile exec:java -Dexec.classpathScope=test"
                + " -Dexec.mainClass=" + SimulationBenchmark.class.getName()
                + " -Dexec.args=\"" + profiles + " " + repetitions + "\"");
        System.out.printf("java %s, %d available processors; %d profiles of %d steps, %d sub-steps per step%n",
                System.getProperty("java.version"), cores, profiles, generator.steps(),
                simulator.constants().subStepsPerStep());
        int[] threadCounts = cores > 1 ? new int[] {1, cores} : new int[] {1};
        for (int threads : threadCounts) {
            for (int w = 0; w < 2; w++) {
                run(simulator, generator, profiles, threads, 1000L + w);
            }
            List<Double> seconds = new ArrayList<>();
            double checksum = 0;
            for (int r = 0; r < repetitions; r++) {
                long start = System.nanoTime();
                checksum = run(simulator, generator, profiles, threads, 42);
                seconds.add((System.nanoTime() - start) / 1e9);
            }
            double[] sorted = seconds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double median = sorted[sorted.length / 2];
            System.out.printf("threads %d: median %.3f s for %d profiles = %.0f profiles/s (runs: %s; mean final 2H %.4f)%n",
                    threads, median, profiles, profiles / median, format(seconds), checksum);
        }
    }

    private static double run(CvdSimulator simulator, RandomWalkScheduleGenerator generator, int profiles,
            int threads, long seed) {
        List<SimulatedRun> runs = simulator.simulateRandomWalks(generator, seed, 0, profiles, threads);
        double sum = 0;
        for (SimulatedRun run : runs) {
            sum += run.finalPhases().phase2H();
        }
        return sum / profiles;
    }

    private static String format(List<Double> seconds) {
        return Arrays.toString(seconds.stream().mapToDouble(s -> Math.round(s * 1000) / 1000.0).toArray());
    }
}
