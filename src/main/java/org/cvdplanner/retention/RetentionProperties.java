package org.cvdplanner.retention;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What is kept how long ({@code cvd-planner.retention.*}); a period of 0 keeps forever.
 *
 * @param enabled run the clean-up at all
 * @param interval how often it runs (every instance runs it; the deletes are idempotent)
 * @param finishedJobs finished jobs (succeeded, failed, cancelled) are deleted this long after they
 *     finished, with their metrics and checkpoints; trained models and agents are kept
 * @param metrics metric points of finished jobs older than this are deleted before the job is
 * @param proposals proposals older than this are deleted, unless a lab validation was recorded for them
 * @param batchSize most rows one delete statement removes (keeps each transaction short)
 */
@Validated
@ConfigurationProperties("cvd-planner.retention")
record RetentionProperties(@DefaultValue("true") boolean enabled, @DefaultValue("1h") Duration interval,
        @DefaultValue("30d") Duration finishedJobs, @DefaultValue("30d") Duration metrics,
        @DefaultValue("365d") Duration proposals, @DefaultValue("10000") @Min(1) @Max(1_000_000) int batchSize) {
}
