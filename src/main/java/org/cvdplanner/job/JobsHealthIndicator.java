package org.cvdplanner.job;

import java.time.Duration;
import java.time.Instant;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.stereotype.Component;

/**
 * The {@code jobs} health contributor, part of the readiness group (docs/operations.md). UP when
 * this instance's job engine is started and not stopping, its poller read the queue recently
 * and none of its running jobs has a stale heartbeat; with the queue figures as details. The
 * figures come from the job table, so an unreachable database makes it DOWN too.
 */
@Component("jobsHealthIndicator")
class JobsHealthIndicator extends AbstractHealthIndicator {

    private final JobEngine engine;
    private final JobEngineMonitor monitor;
    private final JobMetrics metrics;
    private final JobsProperties properties;

    JobsHealthIndicator(JobEngine engine, JobEngineMonitor monitor, JobMetrics metrics, JobsProperties properties) {
        super("Job engine health check failed");
        this.engine = engine;
        this.monitor = monitor;
        this.metrics = metrics;
        this.properties = properties;
    }

    /** A poller that has not read the queue for this long is stuck (or cut off from the database). */
    Duration pollStaleAfter() {
        Duration tenPolls = properties.pollingInterval().multipliedBy(10);
        return tenPolls.compareTo(Duration.ofSeconds(30)) > 0 ? tenPolls : Duration.ofSeconds(30);
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Instant now = Instant.now();
        builder.withDetail("instance", engine.instanceName())
                .withDetail("queue", engine.queue())
                .withDetail("concurrency", properties.concurrency())
                .withDetail("runningHere", engine.runningCount());
        var state = engine.schedulerState();
        Instant lastPoll = monitor.lastPoll();
        if (lastPoll != null) {
            builder.withDetail("lastPollSecondsAgo", Duration.between(lastPoll, now).toMillis() / 1000.0);
        }
        int staleHeartbeats = engine.staleHeartbeats();
        builder.withDetail("staleHeartbeats", staleHeartbeats)
                .withDetail("failedHeartbeatWrites", monitor.failedHeartbeats());

        if (!engine.isRunning() || state.isShuttingDown()) {
            builder.status(Status.OUT_OF_SERVICE).withDetail("reason", "the job engine is not running");
            return;
        }
        if (state.isPaused()) {
            builder.down().withDetail("reason", "the job engine is paused");
            return;
        }
        // figures from the job table; throws (DOWN) when the database cannot be read
        JobMetrics.QueueSnapshot queue = metrics.read();
        builder.withDetail("queued", queue.total(JobStatus.QUEUED))
                .withDetail("running", queue.total(JobStatus.RUNNING))
                .withDetail("oldestQueuedSeconds", queue.oldestQueuedAge(now).toSeconds());
        if (lastPoll == null || Duration.between(lastPoll, now).compareTo(pollStaleAfter()) > 0) {
            builder.down().withDetail("reason", "the job engine has not read its queue for more than "
                    + pollStaleAfter().toSeconds() + " s");
            return;
        }
        if (staleHeartbeats > 0) {
            builder.down().withDetail("reason", staleHeartbeats + " running job(s) could not write their heartbeat");
            return;
        }
        builder.up();
    }
}
