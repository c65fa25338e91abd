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
 */
@ConfigurationProperties("cvd-planner.profiles")
record ProfileProperties(@DefaultValue("256MB") DataSize maxUploadSize, @DefaultValue("1000") int maxPageSize,
        @DefaultValue("0.01") double phaseSumTolerance) {
}
