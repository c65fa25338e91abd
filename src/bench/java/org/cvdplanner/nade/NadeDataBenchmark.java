package org.cvdplanner.nade;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.cvdplanner.synthesis.ProfileArrays;

/**
 * Trains NADE-CVD on a dataset file (the service's long CSV, plain or .gz: an export or
 * rmd-sample.csv.gz) and prints, per epoch, wall seconds and the validation NLL, then the test
 * NLL and the last-step error in atoms of the mean rollout (the reference's definition), so the
 * run can sit next to the PyTorch reference on the same data. Not a test: a benchmark.
 *
 * <pre>
 * OMP_NUM_THREADS=1 MAVEN_OPTS="-XX:+UseSerialGC -Xmx3g" ./mvnw -B -q -Pbench test-compile exec:java \
 *     -Dexec.classpathScope=test -Dexec.mainClass=org.cvdplanner.nade.NadeDataBenchmark \
 *     -Dexec.args="data=rmd-sample.csv.gz split=split.txt val=1000 test=1000 batch=32 lr=1e-3 seconds=300 threads=1"
 * </pre>
 *
 * {@code split=FILE}: whitespace-separated profile indices (a permutation); the first {@code test}
 * are the test split, the next {@code val} validation, the rest training, as the reference cuts
 * its numpy permutation ({@code bench/nade-vs-reference} writes that file so both use the same
 * split). Without it a seeded shuffle is used. {@code save=FILE} writes the trained model.
 */
public final class NadeDataBenchmark {

    private NadeDataBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            a.put(kv[0], kv[1]);
        }
        if (a.containsKey("exportSimulated")) {
            // simulate N random-walk profiles with the built-in simulator and write them as the long CSV
            int count = Integer.parseInt(a.getOrDefault("profiles", "10000"));
            ProfileCsvFiles.write(NadeBenchmarkData.simulate(count, Long.parseLong(a.getOrDefault("campaign", "2021"))),
                    Path.of(a.get("exportSimulated")));
            System.out.println("wrote " + count + " simulated profiles to " + a.get("exportSimulated"));
            return;
        }
        Path dataFile = Path.of(a.getOrDefault("data", "../shared/data/rmd-sample.csv.gz"));
        if (!Files.exists(dataFile)) {
            System.out.println("no dataset at " + dataFile + " (give data=FILE); nothing to do");
            return;
        }
        int threads = Integer.parseInt(a.getOrDefault("threads", "1"));
        double seconds = Double.parseDouble(a.getOrDefault("seconds", "0"));
        NadeHyperParameters hp = NadeHyperParameters.defaults()
                .withEpochs(Integer.parseInt(a.getOrDefault("epochs", "100000")))
                .withBatchSize(Integer.parseInt(a.getOrDefault("batch", "32")))
                .withLearningRate(Double.parseDouble(a.getOrDefault("lr", "1e-3")),
                        NadeHyperParameters.LearningRateSchedule.valueOf(a.getOrDefault("schedule", "CONSTANT")))
                .withFinalLearningRateFraction(Double.parseDouble(a.getOrDefault("finalLr", "0.05")))
                .withSeed(Long.parseLong(a.getOrDefault("seed", "0")))
                .withEarlyStoppingPatience(Integer.parseInt(a.getOrDefault("patience", "0")))
                .withGradientClipNorm(Double.parseDouble(a.getOrDefault("clip", "0")));
        System.out.println("args: " + String.join(" ", args));
        System.out.println("OMP_NUM_THREADS=" + System.getenv("OMP_NUM_THREADS") + ", training threads=" + threads
                + ", cores=" + Runtime.getRuntime().availableProcessors() + ", load=" + NadeSteppingBenchmark.load());
        ProfileArrays all = ProfileCsvFiles.read(dataFile);
        int n = all.profileCount();
        int nTest = Integer.parseInt(a.getOrDefault("test", String.valueOf(n / 10)));
        int nVal = Integer.parseInt(a.getOrDefault("val", String.valueOf(n / 10)));
        int[] order = a.containsKey("split") ? readPermutation(Path.of(a.get("split")), n)
                : NadeTrainer.permutation(n, 20240, 0);
        ProfileArrays test = NadeBenchmarkData.select(all, order, 0, nTest);
        ProfileArrays validation = NadeBenchmarkData.select(all, order, nTest, nTest + nVal);
        ProfileArrays train = NadeBenchmarkData.select(all, order, nTest + nVal, n);
        System.out.printf("profiles: train %d, validation %d, test %d; hyper-parameters %s%n", train.profileCount(),
                validation.profileCount(), test.profileCount(), hp);
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
        long start = System.nanoTime();
        double[] lastEpochEnd = {0};
        if ("dl4j".equals(a.get("engine"))) {
            dl4jFit(hp, train, validation, "standardised".equals(a.get("phases")), seconds);
            return;
        }
        // Ablations: init=dl4j starts from DL4J's initialisation of the same network (Xavier, forget
        // bias 1); phases=standardised feeds z-scored phase fractions as earlier versions did.
        NadeTrainer trainer = new NadeTrainer(hp, threads).startingFrom(
                "dl4j".equals(a.get("init"))
                        ? NadeKernel.fromNetwork(NadeNetworks.create(hp, org.nd4j.linalg.api.buffer.DataType.FLOAT))
                        : null,
                "standardised".equals(a.get("phases")) ? NadeNormaliser.fit(train, true) : null);
        NadeModel model = a.containsKey("model")
                ? NadeModel.fromBytes(Files.readAllBytes(Path.of(a.get("model"))),
                        Files.readString(Path.of(a.get("model") + ".sha256")).trim())
                : trainer.train(train, validation, new NadeTrainingListener() {
            @Override
            public void afterEpoch(EpochReport r, Supplier<byte[]> checkpoint) {
                double total = (System.nanoTime() - start) / 1e9;
                System.out.printf("epoch %4d  epoch_s %7.2f  train_s %8.1f  total_s %8.1f  val_nll %9.3f  best %9.3f"
                        + "  load %s%n", r.epoch(), r.trainingSeconds() - lastEpochEnd[0], r.trainingSeconds(), total,
                        r.validationNll(), r.bestValidationNll(), NadeSteppingBenchmark.load().split(" ")[0]);
                lastEpochEnd[0] = r.trainingSeconds();
            }

            @Override
            public boolean stopAfterEpoch(EpochReport r) {
                return seconds > 0 && r.trainingSeconds() >= seconds;
            }
        });
        double[] nll = model.teacherForcedNll(test);
        double testNll = java.util.Arrays.stream(nll).average().orElseThrow();
        double[] rmse = meanRolloutLastStepRmseAtoms(model, test);
        long heap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heap += pool.getPeakUsage().getUsed();
            }
        }
        System.out.printf("{\"epochs\": %d, \"train_s\": %.1f, \"best_val_nll\": %.3f, \"best_epoch\": %d, "
                + "\"test_nll\": %.3f, \"test_last_step_rmse_atoms_2H_1T_defect\": [%.2f, %.2f, %.2f], "
                + "\"peak_heap_mib\": %d, \"peak_rss\": \"%s\", \"load\": \"%s\"}%n", model.provenance().epochsRun(),
                model.provenance().trainingSeconds(), model.provenance().bestValidationNll(),
                model.provenance().bestEpoch(), testNll, rmse[0], rmse[1], rmse[2], heap >> 20,
                peakResidentSet(), NadeSteppingBenchmark.load());
        if (Boolean.parseBoolean(a.getOrDefault("coverage", "true"))) {
            // what the training job does after training: calibrate the bands on the validation split,
            // then evaluate on the test split (mean-fed point forecast, Monte-Carlo bands)
            int rollouts = Integer.parseInt(a.getOrDefault("rollouts", "64"));
            NadeEvaluation raw = model.evaluate(test, rollouts, 7);
            long t0 = System.nanoTime();
            NadeModel calibrated = model.calibrated(validation, 32, 7, 1000);
            double calibrationSeconds = (System.nanoTime() - t0) / 1e9;
            NadeEvaluation e = calibrated.evaluate(test, rollouts, 7);
            double[] fed = NadeEvaluation.atoms(e.lastStep().rmse());
            System.out.printf("{\"band_coverage90_uncalibrated\": %s, \"variance_scale\": %s, "
                    + "\"band_coverage90_calibrated\": %s, \"calibration_s\": %.1f, "
                    + "\"evaluation_last_step_rmse_atoms_mean_fed\": [%.2f, %.2f, %.2f], "
                    + "\"one_step_coverage90\": %s}%n", java.util.Arrays.toString(round(raw.bandCoverage90())),
                    java.util.Arrays.toString(round(e.varianceScale())), java.util.Arrays.toString(round(e.bandCoverage90())),
                    calibrationSeconds, fed[0], fed[1], fed[2], java.util.Arrays.toString(round(e.oneStepCoverage90())));
        }
        if (a.containsKey("save")) {
            Path out = Path.of(a.get("save"));
            Files.write(out, model.toBytes());
            Files.writeString(Path.of(a.get("save") + ".sha256"), model.sha256());
            System.out.println("saved " + out + " sha256 " + model.sha256());
        }
    }

    /**
     * The earlier training path for comparison: DL4J's own MultiLayerNetwork.fit on the same
     * network, data, batch order and learning rate (validation NLL per epoch only).
     */
    static void dl4jFit(NadeHyperParameters hp, ProfileArrays train, ProfileArrays validation,
            boolean standardisePhases, double seconds) {
        org.deeplearning4j.nn.multilayer.MultiLayerNetwork net = NadeNetworks.create(hp,
                org.nd4j.linalg.api.buffer.DataType.FLOAT);
        NadeNormaliser normaliser = NadeNormaliser.fit(train, standardisePhases);
        int n = train.profileCount();
        double trained = 0;
        for (int epoch = 0; epoch < hp.epochs() && (seconds <= 0 || trained < seconds); epoch++) {
            long t0 = System.nanoTime();
            net.setLearningRate(hp.learningRateAt(epoch));
            int[] order = NadeTrainer.permutation(n, hp.seed(), epoch);
            for (int from = 0; from < n; from += hp.batchSize()) {
                net.fit(NadeNetworks.dataSet(train, order, from, Math.min(n, from + hp.batchSize()), normaliser,
                        org.nd4j.linalg.api.buffer.DataType.FLOAT));
            }
            double epochSeconds = (System.nanoTime() - t0) / 1e9;
            trained += epochSeconds;
            double v = NadeTrainer.meanNll(NadeKernel.fromNetwork(net), hp, validation, normaliser);
            System.out.printf("epoch %4d  epoch_s %7.2f  train_s %8.1f  total_s %8.1f  val_nll %9.3f  (DL4J fit)%n",
                    epoch + 1, epochSeconds, trained, trained, v);
        }
    }

    /** Last-step RMSE per phase (atoms of 288) of the mean rollout: the predicted mean fed back. */
    static double[] meanRolloutLastStepRmseAtoms(NadeModel model, ProfileArrays data) {
        int n = data.profileCount();
        int s = data.steps();
        double[] sq = new double[3];
        int chunk = 1024;
        for (int from = 0; from < n; from += chunk) {
            int rows = Math.min(chunk, n - from);
            NadeRollout rollout = model.newRollout(rows);
            float[] z = new float[rows * 3];
            float[] x = new float[rows * 4];
            for (int i = 0; i < rows; i++) {
                for (int k = 0; k < 3; k++) {
                    z[i * 3 + k] = data.phase(from + i, 0, k);
                }
            }
            for (int t = 0; t < s - 1; t++) {
                for (int i = 0; i < rows; i++) {
                    for (int c = 0; c < 4; c++) {
                        x[i * 4 + c] = data.condition(from + i, t, c);
                    }
                }
                z = rollout.step(z, x).meanFlat().clone();
            }
            for (int i = 0; i < rows; i++) {
                for (int k = 0; k < 3; k++) {
                    double d = z[i * 3 + k] - data.phase(from + i, s - 1, k);
                    sq[k] += d * d;
                }
            }
        }
        double[] rmse = new double[3];
        for (int k = 0; k < 3; k++) {
            rmse[k] = Math.sqrt(sq[k] / n) * 288;
        }
        return rmse;
    }


    private static double[] round(double[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = Math.round(v[i] * 1000) / 1000.0;
        }
        return r;
    }

    /** The process's peak resident set (heap + ND4J off-heap + JVM), from /proc on Linux. */
    static String peakResidentSet() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM"))
                    .map(l -> l.replaceAll("\\s+", " ").substring(7)).findFirst().orElse("n/a");
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    static int[] readPermutation(Path file, int n) throws IOException {
        String[] parts = Files.readString(file).trim().split("\\s+");
        if (parts.length != n) {
            throw new IllegalArgumentException("split file has " + parts.length + " indices for " + n + " profiles");
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = Integer.parseInt(parts[i]);
        }
        return order;
    }

}
