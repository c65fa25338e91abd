package org.cvdplanner.quota;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Per-API-key quotas ({@code cvd-planner.quotas.*}).
 *
 * @param enabled apply the quotas (they apply only to requests with a key in any case)
 * @param requestsPerMinute API requests one key may make per minute on one instance, refilled
 *     continuously; a burst may spend the whole minute's allowance at once
 * @param maxActiveJobs queued + running jobs one key may have at once (over every instance)
 * @param jobsRetryAfter the Retry-After of a submission refused for the jobs cap (when a job
 *     ends is not known in advance)
 */
@Validated
@ConfigurationProperties("cvd-planner.quotas")
record QuotaProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("1200") @Min(1) @Max(10_000_000) long requestsPerMinute,
        @DefaultValue("20") @Min(1) @Max(100_000) int maxActiveJobs,
        @DefaultValue("30s") Duration jobsRetryAfter) {
}
