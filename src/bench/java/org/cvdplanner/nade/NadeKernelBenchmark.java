package org.cvdplanner.nade;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * CPU time of one training step of {@link NadeKernel} (forward, loss, backward) per batch size,
 * median of repeated runs after a warm-up, thread CPU time (steady on a busy machine).
 *
 * <pre>
 * OMP_NUM_THREADS=1 ./mvnw -B -q -Pbench test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.cvdplanner.nade.NadeKernelBenchmark -Dexec.args="32 256"
 * </pre>
 */
public final class NadeKernelBenchmark {

    private NadeKernelBenchmark() {
    }

    public static void main(String[] args) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        System.out.println("OMP_NUM_THREADS=" + System.getenv("OMP_NUM_THREADS") + ", load " + NadeSteppingBenchmark.load());
        int steps = 19;
        for (String arg : args.length == 0 ? new String[] {"32", "256"} : args) {
            int batch = Integer.parseInt(arg);
            SplittableRandom rng = new SplittableRandom(1);
            float[] x = new float[batch * steps * 7];
            float[] y = new float[batch * steps * 3];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) rng.nextGaussian();
            }
            for (int r = 0; r < batch * steps; r++) {
                float a = (float) rng.nextDouble();
                float b = (float) rng.nextDouble() * (1 - a);
                y[r * 3] = a;
                y[r * 3 + 1] = b;
                y[r * 3 + 2] = 1 - a - b;
            }
            float[] p = NadeKernel.initialParameters(1);
            NadeKernel kernel = new NadeKernel(0, NadeHyperParameters.DEFAULT_VARIANCE_FLOOR);
            float[] grad = new float[p.length];
            int reps = Math.max(10, 4000 / batch);
            double[] fwd = new double[reps];
            double[] all = new double[reps];
            for (int w = 0; w < reps / 2; w++) {
                kernel.lossAndGradient(p, x, y, batch, steps, grad);
            }
            for (int i = 0; i < reps; i++) {
                long t0 = mx.getCurrentThreadCpuTime();
                kernel.forward(p, x, batch, steps);
                long t1 = mx.getCurrentThreadCpuTime();
                Arrays.fill(grad, 0);
                kernel.lossAndGradient(p, x, y, batch, steps, grad);
                long t2 = mx.getCurrentThreadCpuTime();
                fwd[i] = (t1 - t0) / 1e6;
                all[i] = (t2 - t1) / 1e6;
            }
            Arrays.sort(fwd);
            Arrays.sort(all);
            System.out.printf("batch %4d: forward %.2f ms, forward+loss+backward %.2f ms CPU (median of %d); "
                    + "epoch of 10,000 profiles %.1f s CPU%n", batch, fwd[reps / 2], all[reps / 2], reps,
                    all[reps / 2] / 1000 * Math.ceil(10000.0 / batch));
        }
    }
}
