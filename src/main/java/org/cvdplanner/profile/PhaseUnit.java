package org.cvdplanner.profile;

/** How an upload states the phases: as fractions (default) or as counts of the 288 Mo atoms. */
public enum PhaseUnit {
    FRACTION, COUNT
}
