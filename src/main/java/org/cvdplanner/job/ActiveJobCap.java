package org.cvdplanner.job;

import java.time.Duration;

/**
 * A cap on the queued + running jobs of one API key, checked at submission (the quota feature
 * provides it; without one, or without a key, there is no cap).
 */
public interface ActiveJobCap {

    /** The most jobs one key may have queued or running at once. */
    int maxActiveJobs();

    /** The Retry-After of a refused submission. */
    Duration retryAfter();
}
