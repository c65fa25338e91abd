package org.cvdplanner.agent;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.cvdplanner.nade.NadeHyperParameters;
import org.cvdplanner.nade.NadeModel;
import org.cvdplanner.nade.NadeTrainer;
import org.cvdplanner.nade.NadeTrainingListener;
import org.cvdplanner.synthesis.ProfileArrays;

/**
 * Agent training speed (episodes/s, rollout + policy update) at several batch sizes and thread
 * counts, the wall time of a whole 15,000-episode training, and the latency of one proposal.
 * Medians of several timed repetitions after warm-up; also process CPU seconds per episode,
 * which is less sensitive to other processes on the machine. Speed does not depend on the
 * weights, so the NADE model is trained for one epoch only (or pass a stored artifact).
 *
 * <pre>
 * OMP_NUM_THREADS=1 ./mvnw -B -q -Pbench test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.cvdplanner.agent.AgentBenchmark [-Dexec.args="32,256,1024,4096 5 15000"]
 * </pre>
 * Arguments: batch sizes, repetitions, episodes of the full training, [path of a NADE artifact
 * whose SHA-256 is in path.sha, or "-"], [a reference command to run in the same run, e.g.
 * "python3 rl_reference.py --batches 32,256,1024 --iters 5 --threads 1"].
 */
public final class AgentBenchmark {

    private AgentBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int[] batches = Arrays.stream((args.length > 0 ? args[0] : "32,256,1024,4096").split(","))
                .mapToInt(Integer::parseInt).toArray();
        int repetitions = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int fullEpisodes = args.length > 2 ? Integer.parseInt(args[2]) : 15_000;
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.println("command: OMP_NUM_THREADS=" + System.getenv("OMP_NUM_THREADS")
                + " ./mvnw -B -q -Pbench test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass="
                + AgentBenchmark.class.getName() + " -Dexec.args=\"" + String.join(" ", args) + "\"");
        System.out.printf("java %s, %d available processors, OMP_NUM_THREADS=%s; load average before: %s%n",
                System.getProperty("java.version"), cores, System.getenv("OMP_NUM_THREADS"), load());
        NadeModel nade = args.length > 3 && !"-".equals(args[3])
                ? NadeModel.fromBytes(Files.readAllBytes(Path.of(args[3])), Files.readString(Path.of(args[3] + ".sha256")).trim())
                : oneEpochModel();
        int[] threadCounts = cores > 1 ? new int[] {1, cores} : new int[] {1};
        for (int threads : threadCounts) {
            for (int batch : batches) {
                measure(nade, batch, threads, repetitions);
            }
        }
        for (int batch : new int[] {256, 1024}) {
            breakdown(nade, batch);
        }
        for (int batch : new int[] {32, batches[batches.length - 1]}) {
            AgentHyperParameters hp = AgentHyperParameters.defaults().withEpisodes(fullEpisodes).withBatchSize(batch);
            long cpu0 = cpu();
            long t0 = System.nanoTime();
            Agent agent = new AgentTrainer(hp, cores).train(nade, AgentTrainingListener.NONE);
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("full training: %d episodes at batch %d on %d threads: %.1f s wall (%.0f episodes/s),"
                    + " %.1f s process CPU; final mean objective %.3f%n", agent.provenance().episodes(), batch, cores,
                    seconds, agent.provenance().episodes() / seconds, (cpu() - cpu0) / 1e9,
                    agent.provenance().finalMeanObjective());
            if (batch == 32) {
                latency(agent, nade);
            }
        }
        if (args.length > 4) {
            // the PyTorch reference in the same run, for a side-by-side figure on the same machine state
            System.out.println("reference: " + args[4] + " (load average before: " + load() + ")");
            Process p = new ProcessBuilder(args[4].split(" ")).redirectErrorStream(true).start();
            System.out.print(new String(p.getInputStream().readAllBytes()));
            System.out.println("reference exit " + p.waitFor());
        }
        System.out.println("load average after: " + load());
    }

    private static void measure(NadeModel nade, int batch, int threads, int repetitions) {
        int batchesPerRun = Math.max(2, 4096 / batch);
        AgentHyperParameters hp = AgentHyperParameters.defaults().withBatchSize(batch)
                .withEpisodes((repetitions + 2) * batchesPerRun * batch);
        List<Double> perSecond = new ArrayList<>();
        List<Double> cpuPerEpisode = new ArrayList<>();
        long[] marks = new long[2];
        int[] seen = {0};
        int[] skipped = {0};
        new AgentTrainer(hp, threads).train(nade, (progress, checkpoint) -> {
            if (progress.gradientNorm() == 0) {
                skipped[0]++; // a batch without reward signal skips the update: it must not flatter the figure
            }
            int b = progress.batch();
            if (b % batchesPerRun == 0) {
                long now = System.nanoTime();
                long cpu = cpu();
                if (seen[0]++ >= 1) { // the first run is warm-up
                    double seconds = (now - marks[0]) / 1e9;
                    perSecond.add(batchesPerRun * batch / seconds);
                    cpuPerEpisode.add((cpu - marks[1]) / 1e9 / (batchesPerRun * batch));
                }
                marks[0] = now;
                marks[1] = cpu;
            }
        });
        System.out.printf("batch %5d, %d thread(s): %7.0f episodes/s (median of %d runs of %d episodes; min %.0f, max %.0f);"
                + " %.3f ms process CPU per episode (= %.0f episodes per CPU-second)%n", batch, threads,
                median(perSecond), perSecond.size(), batchesPerRun * batch, min(perSecond), max(perSecond),
                median(cpuPerEpisode) * 1e3, 1 / median(cpuPerEpisode));
        if (skipped[0] > 0) {
            System.out.println("  (" + skipped[0] + " batches without reward signal skipped their update)");
        }
    }

    /** Where one thread's CPU time goes at this batch size (thread CPU time, medians of 5 runs). */
    private static void breakdown(NadeModel nade, int batch) {
        AgentHyperParameters hp = AgentHyperParameters.defaults().withBatchSize(batch);
        PolicyNet net = PolicyNet.initial(1);
        PolicyLearner learner = new PolicyLearner(net, hp);
        org.cvdplanner.nade.NadeRollout rollout = nade.newRollout(batch);
        float[] z = rollout.initialPhases();
        float[] x = new float[batch * 4];
        float[] features = new float[batch * PolicyNet.FEATURES];
        java.util.Random rng = new java.util.Random(1);
        for (int i = 0; i < batch; i++) {
            x[i * 4] = 750 + 3000 * rng.nextFloat();
            x[i * 4 + 1] = 20 + 230 * rng.nextFloat();
            x[i * 4 + 2] = 20 + 230 * rng.nextFloat();
            x[i * 4 + 3] = 20 + 180 * rng.nextFloat();
        }
        for (int i = 0; i < features.length; i++) {
            features[i] = (float) Math.tanh(rng.nextGaussian());
        }
        double nadeStep = cpuMicros(() -> {
            rollout.reset();
            rollout.step(z, x);
        });
        double gemmForward = cpuMicros(() -> net.forward(features, batch, Gemm.ND4J));
        double javaForward = cpuMicros(() -> net.forward(features, batch, Gemm.JAVA));
        try (EpisodeRunner runner = new EpisodeRunner(nade, hp, 1)) {
            EpisodeBatch episodes = runner.run(net, batch, true, true, 1, null, true, hp.steps(), hp.sigma());
            double rolloutMicros = cpuMicros(() -> runner.run(net, batch, true, true, 2, null, true, hp.steps(),
                    hp.sigma()));
            int rows = batch * hp.actionsPerEpisode();
            float[] ones = new float[rows];
            java.util.Arrays.fill(ones, 1f);
            float[] episodeAdvantages = new float[batch];
            boolean[] free = {true, true, true, true};
            int[] iteration = {0};
            double update = cpuMicros(() -> learner.update(new PolicyNet.Batch(episodes.features, episodes.actionsTaken,
                    ones, ones, rows, episodes.initialActions, episodeAdvantages, batch, free), 0.5, iteration[0]++));
            System.out.printf("breakdown at batch %d, 1 thread, CPU time per episode: NADE step %.1f us/row x 19 = %.3f ms;"
                    + " policy forward %.2f us/row x 18 = %.3f ms (plain-Java gemm %.2f us/row); whole rollout %.3f ms;"
                    + " fused update (forward, backward, Adam) %.3f ms%n", batch, nadeStep / batch,
                    19 * nadeStep / batch / 1e3, gemmForward / batch, 18 * gemmForward / batch / 1e3,
                    javaForward / batch, rolloutMicros / batch / 1e3, update / batch / 1e3);
        }
    }

    /** Median thread CPU time of one call (µs), over 5 runs of at least 0.5 s each after a warm-up. */
    private static double cpuMicros(Runnable work) {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<Double> runs = new ArrayList<>();
        for (int r = 0; r < 6; r++) {
            long c0 = threads.getCurrentThreadCpuTime();
            int calls = 0;
            while (threads.getCurrentThreadCpuTime() - c0 < 500_000_000L || calls < 3) {
                work.run();
                calls++;
            }
            if (r > 0) {
                runs.add((threads.getCurrentThreadCpuTime() - c0) / 1e3 / calls);
            }
        }
        return median(runs);
    }

    private static void latency(Agent agent, NadeModel nade) {
        for (int rollouts : new int[] {1, 64}) {
            List<Double> ms = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                long t0 = System.nanoTime();
                agent.propose(nade, new ProposalSettings(1, null, ProposalMode.DETERMINISTIC, i, rollouts));
                if (i >= 10) {
                    ms.add((System.nanoTime() - t0) / 1e6);
                }
            }
            System.out.printf("proposal latency, 1 schedule with %d forecast rollout(s): median %.2f ms (min %.2f, max %.2f,"
                    + " %d calls)%n", rollouts, median(ms), min(ms), max(ms), ms.size());
        }
    }

    private static NadeModel oneEpochModel() {
        ProfileArrays all = AgentTestModels.simulatorProfiles(96);
        return new NadeTrainer(NadeHyperParameters.defaults().withEpochs(1).withEarlyStoppingPatience(0))
                .train(AgentTestModels.slice(all, 0, 64), AgentTestModels.slice(all, 64, 96), NadeTrainingListener.NONE);
    }

    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}
