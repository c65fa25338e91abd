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
final class HostTransfer {

    private HostTransfer() {
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
        Nd4j.getAffinityManager().ensureLocation(source, AffinityManager.Location.HOST);
        new FloatPointer(source.data().addressPointer()).get(into, 0, into.length);
        return into;
    }
}
