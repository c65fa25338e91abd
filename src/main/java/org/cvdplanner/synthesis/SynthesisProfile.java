package org.cvdplanner.synthesis;

/**
 * One synthesis run: a schedule and the trajectory it produced, step by step. Time convention
 * (as the RMD data): Z_t is the structure at the start of step t and X_t the conditions applied
 * during step t, so X_t produces Z_{t+1}.
 */
public record SynthesisProfile(String externalId, Schedule schedule, Trajectory trajectory) {

    public SynthesisProfile {
        if (schedule.length() != trajectory.length()) {
            throw new IllegalArgumentException("schedule has " + schedule.length()
                    + " steps but trajectory has " + trajectory.length());
        }
    }

    public int length() {
        return schedule.length();
    }
}
