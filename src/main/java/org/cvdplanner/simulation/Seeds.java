package org.cvdplanner.simulation;

/**
 * Derivation of independent seeds from a campaign seed and an index (SplitMix64 finaliser), so a
 * profile's randomness depends only on (campaign seed, index): the same in any thread, chunk or
 * resumed run.
 */
public final class Seeds {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private Seeds() {
    }

    /** A seed for item {@code index} of the stream {@code seed}; distinct indices give unrelated seeds. */
    public static long derive(long seed, long index) {
        return mix64(mix64(seed) + GOLDEN_GAMMA * (index + 1));
    }

    /** The SplitMix64 finaliser (Stafford variant 13): a bijection on 64-bit values. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
