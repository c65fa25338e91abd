package org.cvdplanner.agent;

/** Independent seeds from (seed, index) with the SplitMix64 finaliser: same in any thread or resumed run. */
final class AgentSeeds {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private AgentSeeds() {
    }

    static long derive(long seed, long index) {
        return mix64(mix64(seed) + GOLDEN_GAMMA * (index + 1));
    }

    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
