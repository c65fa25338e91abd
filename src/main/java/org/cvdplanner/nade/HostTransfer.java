package org.cvdplanner.nade;

import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Bulk copies between Java float arrays and ND4J arrays that stay correct on every ND4J backend.
 * A write copies into the array's host buffer in one native copy and then declares the host copy
 * current ({@code AffinityManager.tagLocation(…, HOST)}), so a device backend refreshes its copy
 * before the next op; a read first asks ND4J to bring the host copy up to date
 * ({@code ensureLocation(…, HOST)}). {@code DataBuffer.setData} / {@code asFloat()} do the same
 * element by element and cost a third of a training step; {@code data().asNio()} views skip the
 * synchronisation and read stale values on a GPU. Arrays must be dense, c-ordered FLOAT arrays
 * without offset (as {@link #matrix} makes them).
 */
public final class HostTransfer {

    /** Per thread: reusable matrices by shape and role, so a product allocates no ND4J buffer. */
    private static final ThreadLocal<java.util.Map<String, INDArray>> CACHE =
            ThreadLocal.withInitial(java.util.HashMap::new);

    private HostTransfer() {
    }

    /**
     * C = op(A) · op(B) on row-major float arrays with ND4J's BLAS: A is [m, k] (or [k, m] when
     * transposed), B [k, n] (or [n, k]); returns C [m, n]. Backend-safe bulk copies in and out;
     * the ND4J matrices are cached per thread and shape.
     */
    public static float[] gemm(float[] a, int m, int k, boolean transposeA, float[] b, int n, boolean transposeB) {
        java.util.Map<String, INDArray> cache = CACHE.get();
        INDArray x = cached(cache, "a", transposeA ? k : m, transposeA ? m : k);
        INDArray y = cached(cache, "b", transposeB ? n : k, transposeB ? k : n);
        INDArray c = cached(cache, "c", m, n);
        put(x, a, 0, m * k);
        put(y, b, 0, k * n);
        Nd4j.gemm(x, y, c, transposeA, transposeB, 1.0, 0.0);
        return get(c, new float[m * n]);
    }

    private static INDArray cached(java.util.Map<String, INDArray> cache, String role, long rows, long cols) {
        if (cache.size() > 256) {
            cache.clear(); // many distinct shapes: start over rather than grow without bound
        }
        return cache.computeIfAbsent(role + rows + 'x' + cols, key -> matrix(rows, cols));
    }

    /** A dense, c-ordered FLOAT matrix (uninitialised). */
    static INDArray matrix(long rows, long cols) {
        return Nd4j.createUninitialized(DataType.FLOAT, new long[] {rows, cols}, 'c');
    }

    /** Copies {@code length} floats from {@code src[offset…]} into the start of {@code target}. */
    static void put(INDArray target, float[] src, int offset, int length) {
        if (length > target.length()) {
            throw new IllegalArgumentException("copying " + length + " floats into an array of " + target.length());
        }
        new FloatPointer(target.data().addressPointer()).put(src, offset, length);
        Nd4j.getAffinityManager().tagLocation(target, AffinityManager.Location.HOST);
    }

    /** Copies the first {@code into.length} floats of {@code source} (row-major) into {@code into}. */
    static float[] get(INDArray source, float[] into) {
        return get(source, into, into.length);
    }

    /** Copies the first {@code length} floats of {@code source} (row-major) to the start of {@code into}. */
    static float[] get(INDArray source, float[] into, int length) {
        if (length > source.length() || length > into.length) {
            throw new IllegalArgumentException("copying " + length + " floats out of " + source.length() + " into " + into.length);
        }
        Nd4j.getAffinityManager().ensureLocation(source, AffinityManager.Location.HOST);
        new FloatPointer(source.data().addressPointer()).get(into, 0, length);
        return into;
    }
}
