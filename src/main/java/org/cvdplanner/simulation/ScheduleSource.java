package org.cvdplanner.simulation;

/** Where the schedules of a simulation campaign come from. */
public enum ScheduleSource {
    /** The reference work's random walks (uniform start, Gaussian steps, clipped to the paper's bounds). */
    RANDOM_WALK,
    /** A list of schedules given with the request, each run {@code replicasPerSchedule} times. */
    GIVEN
}
