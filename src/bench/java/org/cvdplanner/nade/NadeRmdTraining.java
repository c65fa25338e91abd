package org.cvdplanner.nade;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Trains one NADE-CVD model on the realistic sample for a time budget and writes its artifact
 * (and SHA-256) under target/nade-forecast/, for the forecast benchmarks to reuse:
 *
 * <pre>
 * OMP_NUM_THREADS=1 MAVEN_OPTS="-XX:+UseSerialGC -Xmx2g" ./mvnw -B -o -q -Pbench test-compile exec:java \
 *     -Dexec.classpathScope=test -Dexec.mainClass=org.cvdplanner.nade.NadeRmdTraining \
 *     -Dexec.args="budgetSeconds=300 batch=32 lr=1e-3"
 * </pre>
 */
public final class NadeRmdTraining {

    private NadeRmdTraining() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            a.put(kv[0], kv[1]);
        }
        double budget = Double.parseDouble(a.getOrDefault("budgetSeconds", "300"));
        Path out = Path.of(a.getOrDefault("out", "target/nade-forecast/rmd.model"));
        RmdSampleData data = RmdSampleData.load(Path.of(a.getOrDefault("data", RmdSampleData.DEFAULT_FILE.toString())),
                Long.parseLong(a.getOrDefault("splitSeed", "20240")));
        NadeHyperParameters hp = NadeHyperParameters.defaults()
                .withEpochs(Integer.parseInt(a.getOrDefault("epochs", "200")))
                .withBatchSize(Integer.parseInt(a.getOrDefault("batch", "32")))
                .withLearningRate(Double.parseDouble(a.getOrDefault("lr", "1e-3")),
                        NadeHyperParameters.LearningRateSchedule.CONSTANT)
                .withSeed(Long.parseLong(a.getOrDefault("seed", "1")))
                .withEarlyStoppingPatience(0);
        System.out.printf("train %d, validation %d, test %d; %s; load %s%n", data.train().profileCount(),
                data.validation().profileCount(), data.test().profileCount(), hp, NadeSteppingBenchmark.load());
        long start = System.nanoTime();
        NadeModel model = new NadeTrainer(hp).train(data.train(), data.validation(), new NadeTrainingListener() {
            @Override
            public void afterEpoch(EpochReport r, Supplier<byte[]> checkpoint) {
                System.out.printf("epoch %3d  wall %6.1f s  cpu %6.1f s  train NLL %8.2f  validation NLL %8.2f  load %s%n",
                        r.epoch(), (System.nanoTime() - start) / 1e9,
                        ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1e9, r.trainNll(),
                        r.validationNll(), NadeSteppingBenchmark.load().split(" ")[0]);
            }

            @Override
            public boolean stopAfterEpoch(EpochReport r) {
                return (System.nanoTime() - start) / 1e9 >= budget;
            }
        });
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.write(out, model.toBytes());
        Files.writeString(Path.of(out + ".sha256"), model.sha256());
        System.out.printf("best epoch %d of %d, validation NLL %.2f; written to %s%n", model.provenance().bestEpoch(),
                model.provenance().epochsRun(), model.provenance().bestValidationNll(), out);
    }
}
