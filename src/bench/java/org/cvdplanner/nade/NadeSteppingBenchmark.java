package org.cvdplanner.nade;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.cvdplanner.synthesis.ConditionVector;
import org.cvdplanner.synthesis.PhaseVector;
import org.cvdplanner.synthesis.ProfileArrays;
import org.cvdplanner.synthesis.Schedule;

/**
 * Speed of the stepping API and of forecasts. Prints medians of repeated runs after warm-up.
 *
 * <pre>
 * OMP_NUM_THREADS=1 MAVEN_OPTS="-XX:+UseSerialGC -Xmx2g" ./mvnw -B -q -Pbench test-compile exec:java \
 *     -Dexec.classpathScope=test -Dexec.mainClass=org.cvdplanner.nade.NadeSteppingBenchmark
 * </pre>
 */
public final class NadeSteppingBenchmark {

    private NadeSteppingBenchmark() {
    }

    public static void main(String[] args) {
        System.out.println("command: OMP_NUM_THREADS=1 MAVEN_OPTS=\"-XX:+UseSerialGC -Xmx2g\" ./mvnw -B -q -Pbench test-compile"
                + " exec:java -Dexec.classpathScope=test -Dexec.mainClass=" + NadeSteppingBenchmark.class.getName());
        System.out.println("OMP_NUM_THREADS=" + System.getenv("OMP_NUM_THREADS") + ", cores="
                + Runtime.getRuntime().availableProcessors() + ", one Java thread; load before: " + load());
        ProfileArrays data = SyntheticProfiles.generate(320, 20, 1);
        NadeModel model = new NadeTrainer(NadeHyperParameters.defaults().withEpochs(1).withEarlyStoppingPatience(0))
                .train(SyntheticProfiles.slice(data, 0, 256), SyntheticProfiles.slice(data, 256, 320),
                        NadeTrainingListener.NONE);
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        for (int batch : new int[] {1, 32, 64, 256, 1024}) {
            NadeRollout rollout = model.newRollout(batch);
            float[] x = new float[batch * 4];
            SplittableRandom rng = new SplittableRandom(1);
            for (int i = 0; i < batch; i++) {
                x[i * 4] = (float) (750 + 3000 * rng.nextDouble());
                x[i * 4 + 1] = (float) (20 + 230 * rng.nextDouble());
                x[i * 4 + 2] = (float) (20 + 230 * rng.nextDouble());
                x[i * 4 + 3] = (float) (20 + 180 * rng.nextDouble());
            }
            int steps = Math.max(40, 40_000 / batch);
            double[] perStep = new double[repeats];
            for (int r = -2; r < repeats; r++) {
                rollout.reset();
                float[] z = rollout.initialPhases();
                long t0 = System.nanoTime();
                for (int s = 0; s < steps; s++) {
                    if (s % 19 == 0) {
                        rollout.reset();
                        z = rollout.initialPhases();
                    }
                    StepOutput out = rollout.step(z, x);
                    z = rollout.sample(out, rng);
                }
                if (r >= 0) {
                    perStep[r] = (System.nanoTime() - t0) / 1e3 / steps;
                }
            }
            double median = median(perStep);
            System.out.printf("step+sample batch %4d: median %8.1f us/step (min %.1f, max %.1f) = %8.0f steps/s = %9.0f row-steps/s = %7.0f episodes/s of 19 steps%n",
                    batch, median, min(perStep), max(perStep), 1e6 / median, batch * 1e6 / median,
                    batch * 1e6 / median / 19);
        }
        // the network step alone (feeding the mean back), without sampling
        for (int batch : new int[] {1, 64, 256, 1024}) {
            NadeRollout rollout = model.newRollout(batch);
            float[] x = new float[batch * 4];
            for (int i = 0; i < batch; i++) {
                x[i * 4] = 2000;
                x[i * 4 + 1] = 100;
                x[i * 4 + 2] = 100;
                x[i * 4 + 3] = 100;
            }
            int steps = Math.max(40, 40_000 / batch);
            double[] perStep = new double[repeats];
            for (int r = -2; r < repeats; r++) {
                rollout.reset();
                float[] z = rollout.initialPhases();
                long t0 = System.nanoTime();
                for (int s = 0; s < steps; s++) {
                    if (s % 19 == 0) {
                        rollout.reset();
                        z = rollout.initialPhases();
                    }
                    z = rollout.step(z, x).meanFlat();
                }
                if (r >= 0) {
                    perStep[r] = (System.nanoTime() - t0) / 1e3 / steps;
                }
            }
            double median = median(perStep);
            System.out.printf("step only   batch %4d: median %8.1f us/step (min %.1f, max %.1f) = %6.2f us/row-step%n",
                    batch, median, min(perStep), max(perStep), median / batch);
        }
        List<Schedule> one = List.of(schedule(new SplittableRandom(3)));
        double[] ms = new double[Math.max(repeats * 3, 20)];
        for (int r = -10; r < ms.length; r++) {
            long t0 = System.nanoTime();
            model.forecast(one, PhaseVector.INITIAL, 64, r);
            if (r >= 0) {
                ms[r] = (System.nanoTime() - t0) / 1e6;
            }
        }
        System.out.printf("forecast 1 schedule x 64 rollouts x 20 steps: median %.2f ms (min %.2f, max %.2f, n=%d)%n",
                median(ms), min(ms), max(ms), ms.length);
        List<Schedule> many = new ArrayList<>();
        SplittableRandom rng = new SplittableRandom(4);
        for (int i = 0; i < 100; i++) {
            many.add(schedule(rng));
        }
        double[] ms100 = new double[repeats];
        for (int r = -1; r < repeats; r++) {
            long t0 = System.nanoTime();
            model.forecast(many, PhaseVector.INITIAL, 64, r);
            if (r >= 0) {
                ms100[r] = (System.nanoTime() - t0) / 1e6;
            }
        }
        System.out.printf("forecast 100 schedules x 64 rollouts: median %.1f ms (min %.1f, max %.1f)%n", median(ms100),
                min(ms100), max(ms100));
        System.out.println("load after: " + load());
    }

    static Schedule schedule(SplittableRandom rng) {
        List<ConditionVector> steps = new ArrayList<>();
        for (int t = 0; t < 20; t++) {
            steps.add(new ConditionVector(750 + 3000 * rng.nextDouble(), 20 + 230 * rng.nextDouble(),
                    20 + 230 * rng.nextDouble(), 20 + 180 * rng.nextDouble()));
        }
        return new Schedule(steps);
    }

    static String load() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }
}
