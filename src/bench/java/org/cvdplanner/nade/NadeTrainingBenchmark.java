package org.cvdplanner.nade;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import org.cvdplanner.simulation.CvdSimulator;
import org.cvdplanner.simulation.SimulatedRun;
import org.cvdplanner.synthesis.ProfileArrays;
import org.cvdplanner.synthesis.Schedule;

/**
 * Trains NADE-CVD on simulator profiles and prints the held-out NLL-vs-time curve, the test
 * metrics, the accuracy bar (RMSE of the predicted final 2H vs the simulator's replica standard
 * deviation for the same schedules) and the peak heap. Arguments are key=value, e.g.
 *
 * <pre>
 * OMP_NUM_THREADS=1 MAVEN_OPTS="-XX:+UseSerialGC -Xmx3g" ./mvnw -B -q -Pbench test-compile exec:java \
 *     -Dexec.classpathScope=test -Dexec.mainClass=org.cvdplanner.nade.NadeTrainingBenchmark \
 *     -Dexec.args="profiles=10000 epochs=40 batch=256 lr=3e-3 schedule=COSINE budgetSeconds=300 workers=2"
 * </pre>
 *
 * workers=2 trains two models at once (seeds seed and seed+1, one thread each) and keeps the one
 * with the better validation NLL. The curve goes to target/nade-bench/&lt;label&gt;.csv.
 */
public final class NadeTrainingBenchmark {

    private NadeTrainingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            a.put(kv[0], kv[1]);
        }
        int profiles = Integer.parseInt(a.getOrDefault("profiles", "10000"));
        long campaign = Long.parseLong(a.getOrDefault("campaign", "2021"));
        int workers = Integer.parseInt(a.getOrDefault("workers", "1"));
        double budget = Double.parseDouble(a.getOrDefault("budgetSeconds", "0"));
        boolean cpuBudget = "cpu".equals(a.getOrDefault("budgetClock", "wall"));
        int rollouts = Integer.parseInt(a.getOrDefault("rollouts", "64"));
        int replicas = Integer.parseInt(a.getOrDefault("replicas", "16"));
        boolean evaluate = Boolean.parseBoolean(a.getOrDefault("evaluate", "true"));
        NadeHyperParameters hp = NadeHyperParameters.defaults()
                .withEpochs(Integer.parseInt(a.getOrDefault("epochs", "40")))
                .withBatchSize(Integer.parseInt(a.getOrDefault("batch", "32")))
                .withLearningRate(Double.parseDouble(a.getOrDefault("lr", "1e-3")),
                        NadeHyperParameters.LearningRateSchedule.valueOf(a.getOrDefault("schedule", "CONSTANT")))
                .withFinalLearningRateFraction(Double.parseDouble(a.getOrDefault("finalLr", "0.05")))
                .withSeed(Long.parseLong(a.getOrDefault("seed", "1")))
                .withEarlyStoppingPatience(Integer.parseInt(a.getOrDefault("patience", "0")))
                .withFixedVariance(Double.parseDouble(a.getOrDefault("fixedVariance", "0")))
                .withGradientClipNorm(Double.parseDouble(a.getOrDefault("clip", "0")));
        String label = a.getOrDefault("label", "b" + hp.batchSize() + "-lr" + hp.learningRate() + "-" + hp.schedule()
                + "-e" + hp.epochs() + "-w" + workers);
        System.out.println("command: OMP_NUM_THREADS=1 MAVEN_OPTS=\"-XX:+UseSerialGC -Xmx3g\" ./mvnw -B -q -Pbench test-compile"
                + " exec:java -Dexec.classpathScope=test -Dexec.mainClass=" + NadeTrainingBenchmark.class.getName()
                + " -Dexec.args=\"" + String.join(" ", args) + "\"");
        System.out.println("OMP_NUM_THREADS=" + System.getenv("OMP_NUM_THREADS") + ", training threads=" + workers
                + ", cores=" + Runtime.getRuntime().availableProcessors() + ", load=" + NadeSteppingBenchmark.load());
        NadeBenchmarkData data = NadeBenchmarkData.load(profiles, campaign, 0.1, 0.1);
        System.out.printf("profiles: train %d, validation %d, test %d%n", data.train().profileCount(),
                data.validation().profileCount(), data.test().profileCount());
        System.out.println("hyper-parameters: " + hp);

        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
        Path csv = Path.of("target", "nade-bench", label + ".csv");
        Files.createDirectories(csv.getParent());
        long start = System.nanoTime();
        List<NadeModel> models = new ArrayList<>();
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(csv))) {
            out.println("worker,epoch,wallSeconds,threadCpuSeconds,trainNll,validationNll,learningRate");
            ExecutorService pool = Executors.newFixedThreadPool(workers);
            List<Future<NadeModel>> futures = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                int worker = w;
                NadeHyperParameters whp = hp.withSeed(hp.seed() + w);
                futures.add(pool.submit(() -> new NadeTrainer(whp).train(data.train(), data.validation(),
                        new NadeTrainingListener() {
                            @Override
                            public void afterEpoch(EpochReport r, Supplier<byte[]> checkpoint) {
                                double wall = (System.nanoTime() - start) / 1e9;
                                double cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1e9;
                                synchronized (out) {
                                    out.printf("%d,%d,%.2f,%.2f,%.4f,%.4f,%.6g%n", worker, r.epoch(), wall, cpu,
                                            r.trainNll(), r.validationNll(), r.learningRate());
                                    out.flush();
                                }
                                System.out.printf("[%s w%d] epoch %3d  wall %7.1f s  cpu %7.1f s  train NLL %9.3f  validation NLL %9.3f  lr %.3g  load %s%n",
                                        label, worker, r.epoch(), wall, cpu, r.trainNll(), r.validationNll(),
                                        r.learningRate(), NadeSteppingBenchmark.load().split(" ")[0]);
                            }

                            @Override
                            public boolean stopAfterEpoch(EpochReport r) {
                                if (budget <= 0) {
                                    return false;
                                }
                                // budgetClock=cpu: the training thread's CPU time (what an idle machine's wall time would be)
                                double used = cpuBudget ? ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1e9
                                        : (System.nanoTime() - start) / 1e9;
                                return used >= budget;
                            }
                        })));
            }
            for (Future<NadeModel> f : futures) {
                models.add(f.get());
            }
            pool.shutdown();
        }
        double wall = (System.nanoTime() - start) / 1e9;
        long peakHeap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peakHeap += pool.getPeakUsage().getUsed();
            }
        }
        NadeModel best = models.stream().min(java.util.Comparator.comparingDouble(m -> m.provenance().bestValidationNll()))
                .orElseThrow();
        System.out.printf("training wall time %.1f s; peak heap (sum of pool peaks) %.0f MiB; best worker epoch %d of %d, validation NLL %.3f%n",
                wall, peakHeap / 1048576.0, best.provenance().bestEpoch(), best.provenance().epochsRun(),
                best.provenance().bestValidationNll());
        Path modelFile = Path.of("target", "nade-bench", label + ".model");
        Files.write(modelFile, best.toBytes());
        Files.writeString(Path.of("target", "nade-bench", label + ".sha256"), best.sha256());
        System.out.println("model written to " + modelFile + " (" + best.artifactSize() + " bytes)");
        if (evaluate) {
            report(best, data.test(), rollouts, replicas);
        }
    }

    static void report(NadeModel model, ProfileArrays test, int rollouts, int replicas) {
        long t0 = System.nanoTime();
        NadeEvaluation e = model.evaluate(test, rollouts, 7);
        System.out.printf("evaluation (%d test profiles, %d rollouts) took %.1f s%n", e.profiles(), rollouts,
                (System.nanoTime() - t0) / 1e9);
        System.out.printf("test NLL per profile %.3f +- %.3f (teacher-forced)%n", e.nllPerProfile(), e.nllStandardError());
        String[] names = {"2H", "1T", "defect"};
        for (int k = 0; k < 3; k++) {
            System.out.printf("%-6s RMSE all steps %.4f (%.2f atoms)  MAE %.4f (%.2f atoms) | last step: RMSE %.4f (%.2f atoms) mean err %.2f atoms, sd %.2f atoms, max |err| %.1f atoms; mean-fed RMSE %.2f atoms | one-step 90%% coverage %.3f, band 90%% coverage %.3f%n",
                    names[k], e.rmsePerPhase()[k], NadeEvaluation.atoms(e.rmsePerPhase()[k]), e.maePerPhase()[k],
                    NadeEvaluation.atoms(e.maePerPhase()[k]), e.lastStep().rmse()[k],
                    NadeEvaluation.atoms(e.lastStep().rmse()[k]), NadeEvaluation.atoms(e.lastStep().errorMean()[k]),
                    NadeEvaluation.atoms(e.lastStep().errorStd()[k]), NadeEvaluation.atoms(e.lastStep().maxAbsError()[k]),
                    NadeEvaluation.atoms(e.meanFedLastStepRmse()[k]), e.oneStepCoverage90()[k], e.bandCoverage90()[k]);
        }
        StringBuilder perStep = new StringBuilder("2H RMSE per step (atoms):");
        for (int t = 0; t < e.steps(); t++) {
            perStep.append(String.format(" %.1f", NadeEvaluation.atoms(e.rmsePerStep()[t][0])));
        }
        System.out.println(perStep);
        // the simulator's own replica spread for the same schedules
        t0 = System.nanoTime();
        int n = test.profileCount();
        double sumVar = 0;
        double sumSd = 0;
        double oracleSe = 0;
        for (int p = 0; p < n; p++) {
            Schedule schedule = test.profile(p).schedule();
            List<SimulatedRun> runs = CvdSimulator.DEFAULT.replicas(schedule, replicas, 1_000_003L * p + 17, 2);
            double[] v = new double[replicas];
            double mean = 0;
            for (int r = 0; r < replicas; r++) {
                v[r] = runs.get(r).finalPhases().phase2H();
                mean += v[r] / replicas;
            }
            double var = 0;
            for (double x : v) {
                var += (x - mean) * (x - mean) / (replicas - 1);
            }
            sumVar += var;
            sumSd += Math.sqrt(var);
            double d = mean - test.phase(p, test.steps() - 1, 0);
            oracleSe += d * d;
        }
        double replicaSd = Math.sqrt(sumVar / n);
        double rmse = e.lastStep().rmse()[0];
        System.out.printf("simulator replicas (%d per test schedule) took %.1f s%n", replicas, (System.nanoTime() - t0) / 1e9);
        System.out.printf("ACCURACY BAR: RMSE of predicted mean final 2H = %.4f (%.2f atoms); simulator replica sd (RMS over schedules) = %.4f (%.2f atoms), mean sd %.2f atoms; ratio %.3f (bar <= 1.15); replica-mean predictor RMSE %.2f atoms%n",
                rmse, NadeEvaluation.atoms(rmse), replicaSd, NadeEvaluation.atoms(replicaSd),
                NadeEvaluation.atoms(sumSd / n), rmse / replicaSd, NadeEvaluation.atoms(Math.sqrt(oracleSe / n)));
    }

}
