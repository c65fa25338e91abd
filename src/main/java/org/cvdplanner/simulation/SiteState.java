package org.cvdplanner.simulation;

/**
 * The state of one Mo site of the simulator's lattice. Reported phases: {@link #PHASE_2H} is 2H,
 * {@link #PHASE_1T} is 1T, and everything else counts as defect (as MoO3 does in the RMD data).
 */
public enum SiteState {
    /** MoO3, the starting material. */
    OXIDE,
    /** MoO3−x: oxygen evolved / self-reduced, ready to take up sulfur. */
    REDUCED,
    /** MoOxSy: sulfidised but without crystalline order. */
    AMORPHOUS,
    /** Crystalline 1T-MoS2 (metastable, nucleates first). */
    PHASE_1T,
    /** Crystalline 2H-MoS2 (the stable, wanted phase). */
    PHASE_2H;

    /** Number of states; state counts are stored as {@code counts[t * COUNT + state.ordinal()]}. */
    public static final int COUNT = 5;

    private static final SiteState[] VALUES = values();

    public static SiteState of(int ordinal) {
        return VALUES[ordinal];
    }

    /** True for the states that have taken up sulfur (amorphous, 1T, 2H). */
    public boolean sulfidised() {
        return this == AMORPHOUS || this == PHASE_1T || this == PHASE_2H;
    }
}
