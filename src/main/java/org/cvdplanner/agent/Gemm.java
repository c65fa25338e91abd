package org.cvdplanner.agent;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * C = op(A) · op(B) on row-major float arrays, where op transposes when asked. A is stored
 * [m, k] (or [k, m] when transposed), B [k, n] (or [n, k]); C is [m, n]. Two implementations:
 * ND4J's BLAS (the product: arrays created from the Java arrays, the result read back with
 * {@code data().asFloat()}, so ND4J keeps its own buffer bookkeeping) and plain Java with double
 * accumulation (the reference of the gradient check, and faster for tiny products).
 */
interface Gemm {

    float[] multiply(float[] a, int m, int k, boolean transposeA, float[] b, int n, boolean transposeB);

    /** ND4J gemm. */
    Gemm ND4J = (a, m, k, ta, b, n, tb) -> {
        INDArray x = Nd4j.create(a, ta ? new long[] {k, m} : new long[] {m, k}, 'c');
        INDArray y = Nd4j.create(b, tb ? new long[] {n, k} : new long[] {k, n}, 'c');
        INDArray c = Nd4j.create(DataType.FLOAT, new long[] {m, n}, 'c');
        Nd4j.gemm(x, y, c, ta, tb, 1.0, 0.0);
        return c.data().asFloat();
    };

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
