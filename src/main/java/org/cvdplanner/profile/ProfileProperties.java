package org.cvdplanner.profile;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of profile uploads and listings.
 *
 * @param maxUploadSize largest accepted upload body; larger is 413
 * @param maxPageSize most profiles one page of a listing returns
 * @param phaseSumTolerance how far phase fractions may sum from 1
 * @param maxTemperatureK highest accepted temperature (the simulated furnaces reach 3,750 K)
 * @param maxMolecules highest accepted gas molecule count (the simulations use up to 250)
 * @param maxTrainingProfiles most profiles a training job loads from one dataset (about 600 bytes
 *     of heap each at 20 steps); a larger dataset fails the job at once instead of the replica
 * @param maxReportedViolations most violations one 422 lists (the rest are counted)
 */
@ConfigurationProperties("cvd-planner.profiles")
record ProfileProperties(@DefaultValue("256MB") DataSize maxUploadSize, @DefaultValue("1000") int maxPageSize,
        @DefaultValue("0.01") double phaseSumTolerance, @DefaultValue("10000") double maxTemperatureK,
        @DefaultValue("100000") double maxMolecules, @DefaultValue("1000000") int maxTrainingProfiles,
        @DefaultValue("1000") int maxReportedViolations) {
}
