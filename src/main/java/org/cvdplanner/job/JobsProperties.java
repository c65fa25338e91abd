package org.cvdplanner.job;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the job engine ({@code cvd-planner.jobs.*}). See docs/jobs.md.
 *
 * @param concurrency jobs that run at once on this instance; the rest wait QUEUED in order
 * @param queue db-scheduler task name; instances with the same queue share its jobs. Change it
 *     only to isolate a group of instances (a test, a GPU pool)
 * @param instanceName the name stored on the jobs this instance runs (default host-pid)
 * @param pollingInterval how often an idle instance looks for queued jobs
 * @param heartbeatInterval how often a running job's heartbeat is written
 * @param missedHeartbeats heartbeats missed before a run counts as dead (db-scheduler: at least 4); a crash is noticed
 *     after heartbeatInterval x missedHeartbeats, checked every 2 x heartbeatInterval
 * @param maxAttempts runs that may die (crash, lost heartbeat) before the job is FAILED
 * @param shutdownWait how long a graceful shutdown waits for running jobs to checkpoint and
 *     hand themselves back
 * @param cancelCheckInterval how often a running job looks for a cancel request in the database
 * @param progressWriteInterval the least time between two progress writes of one job
 * @param unknownTypeRetry when a job's type has no handler on this instance (rolling deploy):
 *     how long until it is offered again
 * @param eventPollInterval how often the SSE streams look for changes
 * @param eventStreamTimeout the longest an SSE stream stays open (the client reconnects)
 * @param maxEventStreams SSE streams open at once on this instance; one more is 503
 * @param maxRuntime the longest a job may run, counted from its first start across resumes; it
 *     then stops at its next boundary and is FAILED
 * @param databaseRetryInitialDelay first wait after a job met a passing database fault
 * @param databaseRetryMaxDelay longest wait between two checks of the database
 * @param diagnosticsEnabled offer the diagnostic-counter job and its endpoint (checks and tests)
 */
@Validated
@ConfigurationProperties("cvd-planner.jobs")
record JobsProperties(
        @DefaultValue("2") @Min(1) @Max(256) int concurrency,
        @DefaultValue("cvd-planner-jobs") @NotBlank String queue,
        String instanceName,
        @DefaultValue("2s") Duration pollingInterval,
        @DefaultValue("8s") Duration heartbeatInterval,
        @DefaultValue("5") @Min(4) int missedHeartbeats,
        @DefaultValue("3") @Min(1) int maxAttempts,
        @DefaultValue("20s") Duration shutdownWait,
        @DefaultValue("1s") Duration cancelCheckInterval,
        @DefaultValue("500ms") Duration progressWriteInterval,
        @DefaultValue("10s") Duration unknownTypeRetry,
        @DefaultValue("500ms") Duration eventPollInterval,
        @DefaultValue("30m") Duration eventStreamTimeout,
        @DefaultValue("256") @Min(1) @Max(100_000) int maxEventStreams,
        @DefaultValue("48h") Duration maxRuntime,
        @DefaultValue("500ms") Duration databaseRetryInitialDelay,
        @DefaultValue("4s") Duration databaseRetryMaxDelay,
        @DefaultValue("false") boolean diagnosticsEnabled) {

    /** After this long without a heartbeat a run is considered dead. */
    Duration deadAfter() {
        return heartbeatInterval.multipliedBy(missedHeartbeats);
    }
}
