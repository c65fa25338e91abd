package org.cvdplanner.simulation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.cvdplanner.synthesis.PhaseVector;
import org.cvdplanner.synthesis.Schedule;
import org.cvdplanner.synthesis.SynthesisProfile;
import org.cvdplanner.synthesis.Trajectory;

/**
 * One simulated synthesis: the schedule, the seed that drove it, and the number of sites in
 * each {@link SiteState} at the start of every step (Z_0 .. Z_{n−1}, the profile's time
 * convention: X_t acts during step t and produces Z_{t+1}). Immutable.
 */
public final class SimulatedRun {

    private final Schedule schedule;
    private final long seed;
    private final int[] stateCounts;

    SimulatedRun(Schedule schedule, long seed, int[] stateCounts) {
        if (stateCounts.length != schedule.length() * SiteState.COUNT) {
            throw new IllegalArgumentException("state counts do not match the schedule length");
        }
        this.schedule = schedule;
        this.seed = seed;
        this.stateCounts = stateCounts;
    }

    public Schedule schedule() {
        return schedule;
    }

    public long seed() {
        return seed;
    }

    public int steps() {
        return schedule.length();
    }

    /** Sites in {@code state} at the start of step {@code t}. */
    public int count(int t, SiteState state) {
        return stateCounts[t * SiteState.COUNT + state.ordinal()];
    }

    /** Z_t: 2H, 1T and defect (oxide, reduced, amorphous) fractions of the 288 sites. */
    public PhaseVector phases(int t) {
        int twoH = count(t, SiteState.PHASE_2H);
        int oneT = count(t, SiteState.PHASE_1T);
        double n = Lattice.SITES;
        return new PhaseVector(twoH / n, oneT / n, (Lattice.SITES - twoH - oneT) / n);
    }

    public Trajectory trajectory() {
        List<PhaseVector> zs = new ArrayList<>(steps());
        for (int t = 0; t < steps(); t++) {
            zs.add(phases(t));
        }
        return new Trajectory(zs);
    }

    /** The last observed phase vector, Z_{n−1}. */
    public PhaseVector finalPhases() {
        return phases(steps() - 1);
    }

    /** Fraction of sites that have taken up sulfur (amorphous, 1T or 2H) at the start of step t. */
    public double sulfidisedFraction(int t) {
        return (count(t, SiteState.AMORPHOUS) + count(t, SiteState.PHASE_1T) + count(t, SiteState.PHASE_2H))
                / (double) Lattice.SITES;
    }

    /** Fraction of sites still MoO3 at the start of step t. */
    public double remainingOxide(int t) {
        return count(t, SiteState.OXIDE) / (double) Lattice.SITES;
    }

    public SynthesisProfile toProfile(String externalId) {
        return new SynthesisProfile(externalId, schedule, trajectory());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SimulatedRun other && seed == other.seed && schedule.equals(other.schedule)
                && Arrays.equals(stateCounts, other.stateCounts);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * schedule.hashCode() + Long.hashCode(seed)) + Arrays.hashCode(stateCounts);
    }

    @Override
    public String toString() {
        return "SimulatedRun[seed=" + seed + ", steps=" + steps() + ", final=" + finalPhases() + "]";
    }
}
