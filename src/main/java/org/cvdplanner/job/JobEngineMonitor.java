package org.cvdplanner.job;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import com.github.kagkarlsson.scheduler.CurrentlyExecuting;
import com.github.kagkarlsson.scheduler.event.AbstractSchedulerListener;
import org.springframework.stereotype.Component;

/**
 * What db-scheduler tells about its own loops: when the poller last read the queue
 * successfully, and heartbeat writes that failed. A poll that throws (the database is gone)
 * does not count, so a stale {@link #lastPoll()} means the engine cannot see its queue.
 */
@Component
class JobEngineMonitor extends AbstractSchedulerListener {

    private final AtomicReference<Instant> lastPoll = new AtomicReference<>();
    private final AtomicReference<Instant> lastFailedHeartbeat = new AtomicReference<>();
    private final AtomicLong failedHeartbeats = new AtomicLong();
    private final AtomicLong unexpectedErrors = new AtomicLong();

    @Override
    public void onSchedulerEvent(SchedulerEventType type) {
        switch (type) {
            case RAN_EXECUTE_DUE -> lastPoll.set(Instant.now());
            case FAILED_HEARTBEAT, FAILED_MULTIPLE_HEARTBEATS -> {
                failedHeartbeats.incrementAndGet();
                lastFailedHeartbeat.set(Instant.now());
            }
            case UNEXPECTED_ERROR -> unexpectedErrors.incrementAndGet();
            default -> {
                // other events carry nothing the health check needs
            }
        }
    }

    @Override
    public void onExecutionFailedHeartbeat(CurrentlyExecuting execution) {
        lastFailedHeartbeat.set(Instant.now());
    }

    Instant lastPoll() {
        return lastPoll.get();
    }

    Instant lastFailedHeartbeat() {
        return lastFailedHeartbeat.get();
    }

    long failedHeartbeats() {
        return failedHeartbeats.get();
    }

    long unexpectedErrors() {
        return unexpectedErrors.get();
    }
}
