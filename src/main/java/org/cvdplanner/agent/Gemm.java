package org.cvdplanner.agent;

import org.cvdplanner.nade.HostTransfer;

/**
 * C = op(A) · op(B) on row-major float arrays, where op transposes when asked. A is stored
 * [m, k] (or [k, m] when transposed), B [k, n] (or [n, k]); C is [m, n]. Two implementations:
 * ND4J's BLAS ({@link HostTransfer#gemm}: bulk copies that ND4J's affinity manager keeps in
 * sync with a device) and plain Java with double
 * accumulation (the reference of the gradient check, and faster for tiny products).
 */
interface Gemm {

    float[] multiply(float[] a, int m, int k, boolean transposeA, float[] b, int n, boolean transposeB);

    /** ND4J gemm through {@link HostTransfer} (bulk, backend-safe copies; matrices cached per thread). */
    Gemm ND4J = HostTransfer::gemm;

    /** Plain Java, double accumulation. */
    Gemm JAVA = (a, m, k, ta, b, n, tb) -> {
        float[] c = new float[m * n];
        double[] row = new double[n];
        for (int i = 0; i < m; i++) {
            java.util.Arrays.fill(row, 0);
            for (int p = 0; p < k; p++) {
                double av = ta ? a[p * m + i] : a[i * k + p];
                if (av == 0) {
                    continue;
                }
                if (tb) {
                    for (int j = 0; j < n; j++) {
                        row[j] += av * b[j * k + p];
                    }
                } else {
                    int o = p * n;
                    for (int j = 0; j < n; j++) {
                        row[j] += av * b[o + j];
                    }
                }
            }
            for (int j = 0; j < n; j++) {
                c[i * n + j] = (float) row[j];
            }
        }
        return c;
    };
}
