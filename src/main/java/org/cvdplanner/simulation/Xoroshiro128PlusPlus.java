package org.cvdplanner.simulation;

/**
 * xoroshiro128++ (Blackman and Vigna, 2019): a small, fast generator with a 2^128 − 1 period,
 * seeded through SplitMix64; draws the random-walk schedules. Written out here (not
 * java.util.Random) so every number is fixed by this code alone: same seed, same bits, on any
 * JVM. Not thread-safe.
 */
final class Xoroshiro128PlusPlus {

    private static final double DOUBLE_UNIT = 0x1.0p-53;

    private long s0;
    private long s1;
    private double nextGaussian;
    private boolean haveNextGaussian;

    Xoroshiro128PlusPlus(long seed) {
        long z = seed;
        z += 0x9E3779B97F4A7C15L;
        s0 = Seeds.mix64(z);
        z += 0x9E3779B97F4A7C15L;
        s1 = Seeds.mix64(z);
        if ((s0 | s1) == 0) {
            s1 = 1;
        }
    }

    long nextLong() {
        long a = s0;
        long b = s1;
        long result = Long.rotateLeft(a + b, 17) + a;
        b ^= a;
        s0 = Long.rotateLeft(a, 49) ^ b ^ (b << 21);
        s1 = Long.rotateLeft(b, 28);
        return result;
    }

    /** Uniform in [0, 1) with 53 random bits. */
    double nextDouble() {
        return (nextLong() >>> 11) * DOUBLE_UNIT;
    }

    /** Standard normal by Marsaglia's polar method with StrictMath (bit-reproducible). */
    double nextGaussian() {
        if (haveNextGaussian) {
            haveNextGaussian = false;
            return nextGaussian;
        }
        double v1;
        double v2;
        double s;
        do {
            v1 = 2 * nextDouble() - 1;
            v2 = 2 * nextDouble() - 1;
            s = v1 * v1 + v2 * v2;
        } while (s >= 1 || s == 0);
        double multiplier = StrictMath.sqrt(-2 * StrictMath.log(s) / s);
        nextGaussian = v2 * multiplier;
        haveNextGaussian = true;
        return v1 * multiplier;
    }
}
