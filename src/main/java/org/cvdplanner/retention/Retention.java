package org.cvdplanner.retention;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Deletes what has outlived its retention period, in batches. Checkpoints of finished jobs
 * are dropped on every pass (a finished job never resumes; a succeeded one drops its own at
 * the end of the run already).
 */
@Component
class Retention implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Retention.class);

    private final JdbcTemplate jdbc;
    private final RetentionProperties properties;
    private ScheduledExecutorService timer;

    Retention(JdbcTemplate jdbc, RetentionProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
    }

    /** One pass; returns the rows deleted per kind. */
    Map<String, Integer> cleanUp(Instant now) {
        Map<String, Integer> deleted = new LinkedHashMap<>();
        deleted.put("checkpoints", jdbc.update("""
                delete from job_checkpoint c using job j
                where c.job_id = j.id and j.status in ('SUCCEEDED', 'FAILED', 'CANCELLED')"""));
        deleted.put("metrics", kept(properties.metrics()) ? 0 : repeat("""
                delete from job_metric where ctid = any(array(
                    select m.ctid from job_metric m join job j on j.id = m.job_id
                    where j.status in ('SUCCEEDED', 'FAILED', 'CANCELLED') and m.recorded_at < ? limit ?))""",
                now.minus(properties.metrics())));
        deleted.put("jobs", kept(properties.finishedJobs()) ? 0 : repeat("""
                delete from job where id in (
                    select id from job where status in ('SUCCEEDED', 'FAILED', 'CANCELLED') and finished_at < ?
                    order by finished_at limit ?)""", now.minus(properties.finishedJobs())));
        deleted.put("proposals", kept(properties.proposals()) ? 0 : repeat("""
                delete from proposal where id in (
                    select p.id from proposal p where p.created_at < ?
                    and not exists (select 1 from proposal_validation v where v.proposal_id = p.id)
                    and not exists (select 1 from lab_result r where r.proposal_id = p.id)
                    order by p.created_at limit ?)""", now.minus(properties.proposals())));
        return deleted;
    }

    private static boolean kept(Duration period) {
        return period.isZero() || period.isNegative();
    }

    private int repeat(String sql, Instant cutoff) {
        int total = 0;
        for (int n = Integer.MAX_VALUE; n >= properties.batchSize(); ) {
            n = jdbc.update(sql, Timestamp.from(cutoff), properties.batchSize());
            total += n;
        }
        return total;
    }

    private void run() {
        try {
            Map<String, Integer> deleted = cleanUp(Instant.now());
            if (deleted.values().stream().anyMatch(n -> n > 0)) {
                log.info("Retention: deleted {}", deleted);
            }
        } catch (RuntimeException e) {
            log.warn("Retention pass failed (next in {}): {}", properties.interval(), e.getMessage());
        }
    }

    @Override
    public synchronized void start() {
        if (!properties.enabled()) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "retention");
            t.setDaemon(true);
            return t;
        });
        long period = properties.interval().toMillis();
        // the first pass a while after start, out of the way of start-up work
        timer.scheduleWithFixedDelay(this::run, Math.min(period, 60_000), period, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return timer != null;
    }
}
