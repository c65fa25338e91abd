package org.cvdplanner.simulation;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Generates 10,000 random-walk profiles (schedule + lattice run, as a campaign does before
 * storing) and reports profiles/s on one thread and on all cores: the median of several timed
 * runs after two warm-up runs, with the process CPU time of each run (robust to other processes
 * on shared cores) and the load average before and after.
 *
 * <pre>
 * ./mvnw -B -q -Pbench test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.cvdplanner.simulation.SimulationBenchmark [-Dexec.args="10000 5"]
 * </pre>
 */
public final class SimulationBenchmark {

    private SimulationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int profiles = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int repetitions = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int cores = Runtime.getRuntime().availableProcessors();
        CvdSimulator simulator = CvdSimulator.DEFAULT;
        RandomWalkScheduleGenerator generator = RandomWalkScheduleGenerator.PAPER;
        System.out.println("command: ./mvnw -B -q -Pbench test-compile exec:java -Dexec.classpathScope=test"
                + " -Dexec.mainClass=" + SimulationBenchmark.class.getName()
                + " -Dexec.args=\"" + profiles + " " + repetitions + "\"");
        System.out.printf("java %s, %d available processors; %d random-walk profiles of %d steps,"
                + " %d sub-steps per step, 288 sites; load average %s%n",
                System.getProperty("java.version"), cores, profiles, generator.steps(),
                simulator.constants().subStepsPerStep(), loadAverage());
        int[] threadCounts = cores > 1 ? new int[] {1, cores} : new int[] {1};
        for (int threads : threadCounts) {
            for (int w = 0; w < 2; w++) {
                run(simulator, generator, profiles, threads, 1000L + w);
            }
            List<Double> seconds = new ArrayList<>();
            List<Double> cpuSeconds = new ArrayList<>();
            double checksum = 0;
            for (int r = 0; r < repetitions; r++) {
                long cpu = processCpuNanos();
                long start = System.nanoTime();
                checksum = run(simulator, generator, profiles, threads, 42);
                seconds.add((System.nanoTime() - start) / 1e9);
                cpuSeconds.add((processCpuNanos() - cpu) / 1e9);
            }
            double median = median(seconds);
            double medianCpu = median(cpuSeconds);
            System.out.printf("threads %d: median %.3f s wall for %d profiles = %.0f profiles/s; "
                    + "median %.3f s CPU = %.0f profiles per CPU-second; runs %s s; mean final 2H %.4f%n",
                    threads, median, profiles, profiles / median, medianCpu, profiles / medianCpu,
                    format(seconds), checksum);
        }
        System.out.printf("load average after: %s%n", loadAverage());
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

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static String loadAverage() throws Exception {
        Path path = Path.of("/proc/loadavg");
        return Files.isReadable(path) ? Files.readString(path).trim() : "n/a";
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[sorted.length / 2];
    }

    private static String format(List<Double> seconds) {
        return Arrays.toString(seconds.stream().mapToDouble(s -> Math.round(s * 1000) / 1000.0).toArray());
    }
}
