package org.cvdplanner.idempotency;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Idempotency keys ({@code cvd-planner.idempotency.*}).
 *
 * @param retention how long a key and its response are kept; a retry later than this runs again
 * @param maxBodySize the largest body a keyed request may have (it is held in memory to hash it)
 * @param inProgressLease how long a request may run before a retry may take its key over (a
 *     crashed instance leaves its key in progress)
 * @param waitForInProgress how long a retry waits for the first request with its key to finish
 * @param cleanupInterval how often expired keys are deleted
 */
@ConfigurationProperties("cvd-planner.idempotency")
record IdempotencyProperties(@DefaultValue("24h") Duration retention, @DefaultValue("64MB") DataSize maxBodySize,
        @DefaultValue("10m") Duration inProgressLease, @DefaultValue("120s") Duration waitForInProgress,
        @DefaultValue("10m") Duration cleanupInterval) {
}
