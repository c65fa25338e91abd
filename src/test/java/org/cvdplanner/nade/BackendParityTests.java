package org.cvdplanner.nade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fast paths' host/device hand-over on the active ND4J backend (CPU by default, CUDA with
 * {@code -Pcuda}): arrays are written on the host, changed by ND4J ops (on the device, on a
 * GPU), written again and read back, in the order NadeKernel, NadeRollout and the agent's gemms
 * use them; a stale copy on either side shows as a wrong value. Together with
 * {@code NadeKernelParityTests} (a training step against DL4J and the PyTorch reference),
 * {@code NadeModelTests} (the rollout against DL4J's network) and {@code PolicyNetTests} (the
 * agent's gemm path against plain Java) it is the backend parity suite that
 * {@code .ci/gpu-check} runs with the CUDA backend.
 */
class BackendParityTests {

    @Test
    void theActiveBackendIsTheOneTheBuildAskedFor() {
        // set by surefire from the pom's nd4j.backend: a -Pcuda run must not pass on the CPU backend
        String asked = System.getProperty("cvd.nd4j.backend", "nd4j-native");
        String active = Nd4j.getBackend().getClass().getSimpleName();
        assertThat(active).as("ND4J backend for %s", asked).isEqualTo(asked.startsWith("nd4j-cuda") ? "JCublasBackend" : "CpuBackend");
    }

    @Test
    void hostWritesReachOpsAndOpResultsReachHostReads() {
        SplittableRandom rng = new SplittableRandom(7);
        INDArray a = HostTransfer.matrix(16, 8);
        for (int round = 0; round < 50; round++) {
            float[] values = new float[16 * 8];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) rng.nextDouble(-2, 2);
            }
            HostTransfer.put(a, values, 0, values.length);
            a.muli(3).addi(round); // an ND4J op after a host write: must see the new values
            float[] back = HostTransfer.get(a, new float[values.length]);
            for (int i = 0; i < values.length; i++) {
                assertThat(back[i]).as("round %d element %d", round, i).isCloseTo(values[i] * 3 + round, within(1e-4f));
            }
        }
    }

    @Test
    void cachedGemmMatchesPlainJavaAcrossRepeatedCalls() {
        SplittableRandom rng = new SplittableRandom(11);
        int m = 64;
        int k = 37;
        int n = 23;
        for (int round = 0; round < 30; round++) {
            // the same shapes every round: the cached ND4J matrices are overwritten from the host
            boolean transposeA = round % 2 == 1;
            boolean transposeB = round % 3 == 2;
            float[] a = random(rng, m * k);
            float[] b = random(rng, k * n);
            float[] c = HostTransfer.gemm(a, m, k, transposeA, b, n, transposeB);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    for (int p = 0; p < k; p++) {
                        double x = transposeA ? a[p * m + i] : a[i * k + p];
                        double y = transposeB ? b[j * k + p] : b[p * n + j];
                        sum += x * y;
                    }
                    assertThat((double) c[i * n + j]).as("round %d C[%d,%d]", round, i, j).isCloseTo(sum, within(1e-3));
                }
            }
        }
    }

    private static float[] random(SplittableRandom rng, int size) {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = (float) rng.nextDouble(-1, 1);
        }
        return values;
    }
}
