package org.cvdplanner.agent;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

import org.cvdplanner.nade.EpochReport;
import org.cvdplanner.nade.NadeHyperParameters;
import org.cvdplanner.nade.NadeModel;
import org.cvdplanner.nade.NadeTrainer;
import org.cvdplanner.nade.NadeTrainingListener;
import org.cvdplanner.nade.ProfileCsvFiles;
import org.cvdplanner.synthesis.ProfileArrays;

/**
 * The realistic sample ({@code ../shared/data/rmd-sample.csv.gz}, upload CSV of 20-step profiles)
 * as ProfileArrays, and a main that trains one NADE model on it for a CPU-time budget and writes
 * the artifact (for {@link AgentEvaluation}):
 *
 * <pre>
 * OMP_NUM_THREADS=1 ./mvnw -B -q -Pbench test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=org.cvdplanner.agent.RmdSample -Dexec.args="../shared/data/rmd-sample.csv.gz target/rmd.nade 600"
 * </pre>
 */
final class RmdSample {

    private RmdSample() {
    }

    static ProfileArrays read(Path file) throws IOException {
        return ProfileCsvFiles.read(file);
    }

    static ProfileArrays slice(ProfileArrays all, int from, int to) {
        return new ProfileArrays(all.externalIds().subList(from, to), 20,
                java.util.Arrays.copyOfRange(all.conditions(), from * 80, to * 80),
                java.util.Arrays.copyOfRange(all.phases(), from * 60, to * 60));
    }

    public static void main(String[] args) throws Exception {
        ProfileArrays all = read(Path.of(args[0]));
        Path out = Path.of(args[1]);
        double budget = Double.parseDouble(args[2]);
        int n = all.externalIds().size();
        int nTrain = n * 8 / 10;
        int nVal = n / 10;
        ProfileArrays train = slice(all, 0, nTrain);
        ProfileArrays validation = slice(all, nTrain, nTrain + nVal);
        NadeHyperParameters hp = NadeHyperParameters.defaults().withEpochs(200).withBatchSize(32)
                .withLearningRate(1e-3, NadeHyperParameters.LearningRateSchedule.CONSTANT).withSeed(1);
        System.out.println("profiles " + n + ", train " + nTrain + ", validation " + nVal + ", " + hp);
        long start = System.nanoTime();
        NadeModel model = new NadeTrainer(hp).train(train, validation, new NadeTrainingListener() {
            @Override
            public void afterEpoch(EpochReport r, java.util.function.Supplier<byte[]> checkpoint) {
                System.out.printf("epoch %d wall %.0f s cpu %.0f s train %.2f validation %.2f load %.2f%n", r.epoch(),
                        (System.nanoTime() - start) / 1e9,
                        ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1e9, r.trainNll(),
                        r.validationNll(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            }

            @Override
            public boolean stopAfterEpoch(EpochReport r) {
                return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1e9 >= budget;
            }
        });
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.write(out, model.toBytes());
        Files.writeString(Path.of(out + ".sha256"), model.sha256());
        System.out.println("best epoch " + model.provenance().bestEpoch() + " validation NLL "
                + model.provenance().bestValidationNll() + " written " + out);
    }
}
