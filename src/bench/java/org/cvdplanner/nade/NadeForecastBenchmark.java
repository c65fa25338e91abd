package org.cvdplanner.nade;

import org.cvdplanner.artifact.Artifacts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.cvdplanner.synthesis.PhaseVector;
import org.cvdplanner.synthesis.ProfileArrays;
import org.cvdplanner.synthesis.Schedule;

/**
 * Forecast quality and speed of a trained model: prediction latency (1 schedule x 64 rollouts,
 * p50 / p99 after warm-up), then on held-out data the last-step error of the point forecast
 * (mean-fed rollout) against the mean of Monte-Carlo rollouts (the new simplex sampler and the
 * old Gaussian-plus-projection sampler), the 90 % band coverage before and after calibration on
 * the validation split. Arguments key=value:
 *
 * <pre>
 * OMP_NUM_THREADS=1 java -XX:+UseSerialGC -Xmx2g -cp target/test-classes:target/classes:$(cat cp.txt) \
 *     org.cvdplanner.nade.NadeForecastBenchmark model=target/nade-forecast/rmd.model data=rmd
 * </pre>
 *
 * {@code data=rmd} reads the realistic sample (shared data folder, {@code rmdFile=} to override;
 * split 10 % / 10 % by profile with {@code splitSeed}); {@code data=sim profiles=5000} the
 * simulator profiles {@link NadeBenchmarkData} caches. {@code model=} an artifact written by
 * {@code NadeRmdTraining} or {@code NadeTrainingBenchmark} (its SHA-256 is recomputed).
 */
public final class NadeForecastBenchmark {

    private NadeForecastBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            a.put(kv[0], kv[1]);
        }
        System.out.println("args: " + String.join(" ", args));
        System.out.println("OMP_NUM_THREADS=" + System.getenv("OMP_NUM_THREADS") + ", load " + NadeSteppingBenchmark.load());
        byte[] bytes = Files.readAllBytes(Path.of(a.get("model")));
        NadeModel model = NadeModel.fromBytes(bytes, Artifacts.sha256(bytes));
        System.out.printf("model: best epoch %d, validation NLL %.2f, calibration %s%n", model.provenance().bestEpoch(),
                model.provenance().bestValidationNll(), Arrays.toString(model.calibration().varianceScale()));
        ProfileArrays validation;
        ProfileArrays test;
        if ("sim".equals(a.getOrDefault("data", "rmd"))) {
            NadeBenchmarkData d = NadeBenchmarkData.load(Integer.parseInt(a.getOrDefault("profiles", "5000")),
                    Long.parseLong(a.getOrDefault("campaign", "2021")), 0.1, 0.1);
            validation = d.validation();
            test = d.test();
        } else {
            RmdSampleData d = RmdSampleData.load(Path.of(a.getOrDefault("rmdFile", RmdSampleData.DEFAULT_FILE.toString())),
                    Long.parseLong(a.getOrDefault("splitSeed", "20240")));
            validation = d.validation();
            test = d.test();
        }
        int rollouts = Integer.parseInt(a.getOrDefault("rollouts", "64"));
        if (Boolean.parseBoolean(a.getOrDefault("latency", "true"))) {
            latency(model, test, Integer.parseInt(a.getOrDefault("latencyRuns", "500")));
        }
        if (!Boolean.parseBoolean(a.getOrDefault("quality", "true"))) {
            return;
        }
        long t0 = System.nanoTime();
        NadeEvaluation raw = model.evaluate(test, rollouts, 7);
        System.out.printf("%nuncalibrated evaluation of %d test profiles, %d rollouts: %.1f s, load %s%n", test.profileCount(),
                rollouts, (System.nanoTime() - t0) / 1e9, NadeSteppingBenchmark.load());
        print(raw);
        double[] projection = projectionSampleMeanRmse(model, test, rollouts, 7);
        System.out.printf("old sampler (Gaussian + Euclidean projection) MC-mean last-step RMSE atoms %s; ratio to the"
                + " mean-fed point forecast %s%n", fmt(NadeEvaluation.atoms(projection)),
                fmt(ratio(projection, raw.lastStep().rmse())));
        t0 = System.nanoTime();
        NadeModel calibrated = model.calibrated(validation, Integer.parseInt(a.getOrDefault("calibrationRollouts", "32")),
                11, Integer.parseInt(a.getOrDefault("calibrationProfiles", "1000")));
        NadeCalibration c = calibrated.calibration();
        System.out.printf("%ncalibration on %d validation profiles x %d rollouts, %d iterations, %.1f s: factors %s;"
                + " validation coverage before %s after %s; load %s%n", c.profiles(), c.rollouts(), c.iterations(),
                (System.nanoTime() - t0) / 1e9, fmt(c.varianceScale()), fmt(c.validationCoverageBefore()),
                fmt(c.validationCoverageAfter()), NadeSteppingBenchmark.load());
        NadeEvaluation cal = calibrated.evaluate(test, rollouts, 7);
        System.out.println("calibrated evaluation on the test split:");
        print(cal);
    }

    static void latency(NadeModel model, ProfileArrays test, int runs) {
        List<Schedule> one = List.of(test.profile(0).schedule());
        for (int r = 0; r < 100; r++) {
            model.forecast(one, PhaseVector.INITIAL, 64, r);
        }
        double[] ms = new double[runs];
        double[] cpu = new double[runs];
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int r = 0; r < runs; r++) {
            List<Schedule> schedule = List.of(test.profile(r % test.profileCount()).schedule());
            long c0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            model.forecast(schedule, PhaseVector.INITIAL, 64, r);
            ms[r] = (System.nanoTime() - t0) / 1e6;
            cpu[r] = (threads.getCurrentThreadCpuTime() - c0) / 1e6;
        }
        Arrays.sort(ms);
        Arrays.sort(cpu);
        System.out.printf("  CPU time of the calling thread per call: p50 %.2f ms, p99 %.2f ms (wall time on an idle core"
                + " would be about this)%n", cpu[runs / 2], cpu[(int) (runs * 0.99)]);
        System.out.printf("latency forecast 1 schedule x 64 rollouts x %d steps (model API, after 100 warm-up calls),"
                + " %d calls: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms; load %s%n", one.get(0).length(), runs,
                ms[runs / 2], ms[(int) (runs * 0.9)], ms[(int) (runs * 0.99)], ms[runs - 1], NadeSteppingBenchmark.load());
    }

    static void print(NadeEvaluation e) {
        System.out.printf("  test NLL %.2f +- %.2f; one-step 90%% coverage %s%n", e.nllPerProfile(), e.nllStandardError(),
                fmt(e.oneStepCoverage90()));
        System.out.printf("  last-step RMSE atoms (2H, 1T, defect): point forecast (mean-fed) %s; MC mean %s;"
                + " MC-mean / mean-fed %s%n", fmt(NadeEvaluation.atoms(e.lastStep().rmse())),
                fmt(NadeEvaluation.atoms(e.sampleMeanLastStepRmse())), fmt(ratio(e.sampleMeanLastStepRmse(),
                        e.lastStep().rmse())));
        System.out.printf("  last-step mean error atoms %s; RMSE over steps atoms %s; MAE over steps atoms %s%n",
                fmt(NadeEvaluation.atoms(e.lastStep().errorMean())), fmt(NadeEvaluation.atoms(e.rmsePerPhase())),
                fmt(NadeEvaluation.atoms(e.maePerPhase())));
        System.out.printf("  90%% band coverage (steps 1..n-1) %s, variance factors %s%n", fmt(e.bandCoverage90()),
                fmt(e.varianceScale()));
    }

    /** Last-step RMSE of the mean of rollouts drawn as before: Gaussian draw, Euclidean projection. */
    static double[] projectionSampleMeanRmse(NadeModel model, ProfileArrays data, int rollouts, long seed) {
        int n = data.profileCount();
        int steps = data.steps();
        SplittableRandom rng = new SplittableRandom(seed);
        double[] se = new double[3];
        int perChunk = Math.max(1, NadeModel.CHUNK_ROWS / rollouts);
        for (int from = 0; from < n; from += perChunk) {
            int count = Math.min(perChunk, n - from);
            int rows = count * rollouts;
            float[] z = new float[rows * 3];
            float[] x = new float[rows * 4];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(data.phases(), ((from + r / rollouts) * steps) * 3, z, r * 3, 3);
            }
            NadeRollout rollout = model.newRollout(rows);
            for (int t = 0; t < steps - 1; t++) {
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(data.conditions(), ((from + r / rollouts) * steps + t) * 4, x, r * 4, 4);
                }
                StepOutput out = rollout.step(z, x);
                float[] mean = out.meanFlat();
                float[] var = out.varianceFlat();
                z = new float[rows * 3];
                for (int i = 0; i < z.length; i++) {
                    z[i] = (float) (mean[i] + Math.sqrt(var[i]) * rng.nextGaussian());
                }
                for (int r = 0; r < rows; r++) {
                    Simplex.project(z, r * 3);
                }
            }
            for (int i = 0; i < count; i++) {
                for (int k = 0; k < 3; k++) {
                    double sum = 0;
                    for (int j = 0; j < rollouts; j++) {
                        sum += z[(i * rollouts + j) * 3 + k];
                    }
                    double d = sum / rollouts - data.phase(from + i, steps - 1, k);
                    se[k] += d * d;
                }
            }
        }
        double[] rmse = new double[3];
        for (int k = 0; k < 3; k++) {
            rmse[k] = Math.sqrt(se[k] / n);
        }
        return rmse;
    }

    static double[] ratio(double[] a, double[] b) {
        return new double[] {a[0] / b[0], a[1] / b[1], a[2] / b[2]};
    }

    static String fmt(double[] v) {
        if (v == null) {
            return "-";
        }
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            b.append(i > 0 ? ", " : "").append(String.format("%.3f", v[i]));
        }
        return b.append(']').toString();
    }
}
