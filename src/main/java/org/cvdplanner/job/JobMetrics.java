package org.cvdplanner.job;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The job engine's meters (docs/operations.md): runs by type and outcome with their durations,
 * dead runs, work done (batches, epochs, episodes, profiles) and the queue as the job table
 * shows it. The queue figures are read from PostgreSQL every {@code cvd-planner.jobs.polling-interval}
 * (at least every 5 s) on a thread of their own, so a scrape never waits for the database and a
 * slow or unreachable database shows as stale figures ({@code cvdplanner_jobs_queue_read_age_seconds}).
 */
@Component
class JobMetrics implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(JobMetrics.class);
    /** Buckets of the run-duration histogram: jobs take from seconds to hours. */
    private static final Duration[] RUN_BUCKETS = {Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(15),
            Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5),
            Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(3), Duration.ofHours(12)};

    /** How a run on this instance ended. */
    enum RunOutcome {
        SUCCEEDED, FAILED, CANCELLED, RELEASED, ABANDONED;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Counts and the oldest queued job of one type, read from the job table. */
    record QueueSnapshot(Instant readAt, Map<String, Map<JobStatus, Long>> counts, Map<String, Instant> oldestQueued) {

        long count(String type, JobStatus status) {
            return counts.getOrDefault(type, Map.of()).getOrDefault(status, 0L);
        }

        long total(JobStatus status) {
            return counts.values().stream().mapToLong(byStatus -> byStatus.getOrDefault(status, 0L)).sum();
        }

        /** Age of the oldest QUEUED job of any type, zero when none waits. */
        Duration oldestQueuedAge(Instant now) {
            return oldestQueued.values().stream().min(Instant::compareTo).map(t -> Duration.between(t, now))
                    .filter(d -> !d.isNegative()).orElse(Duration.ZERO);
        }
    }

    private final MeterRegistry registry;
    private final JdbcClient jdbc;
    private final JobsProperties properties;
    private final Set<String> registeredTypes = ConcurrentHashMap.newKeySet();
    private final AtomicReference<QueueSnapshot> snapshot = new AtomicReference<>();
    private ScheduledExecutorService reader;

    JobMetrics(MeterRegistry registry, JdbcClient jdbc, JobsProperties properties, List<JobHandler<?>> handlers) {
        this.registry = registry;
        this.jdbc = jdbc;
        this.properties = properties;
        for (JobHandler<?> handler : handlers) {
            registerQueueGauges(handler.type());
            // registered up front: every series exists from the start (0, not absent), and a run's
            // end records into an existing meter instead of building one while the engine waits
            for (RunOutcome outcome : RunOutcome.values()) {
                runTimer(handler.type(), outcome);
            }
            for (int attempt : new int[] {0, 1}) {
                runsStarted(handler.type(), attempt);
            }
            gaveUpCounter(handler.type());
        }
        Gauge.builder("cvdplanner.jobs.queue.oldest.age", this, m -> m.current()
                        .map(s -> s.oldestQueuedAge(Instant.now()).toMillis() / 1000.0).orElse(Double.NaN))
                .description("Age of the oldest QUEUED job (0 when none waits)").baseUnit("seconds").register(registry);
        Gauge.builder("cvdplanner.jobs.queue.read.age", this, m -> m.current()
                        .map(s -> Duration.between(s.readAt(), Instant.now()).toMillis() / 1000.0).orElse(Double.NaN))
                .description("Time since the queue figures were last read from the database").baseUnit("seconds")
                .register(registry);
    }

    private void registerQueueGauges(String type) {
        if (!registeredTypes.add(type)) {
            return;
        }
        for (JobStatus status : JobStatus.values()) {
            Gauge.builder("cvdplanner.jobs", this, m -> m.current().map(s -> (double) s.count(type, status)).orElse(Double.NaN))
                    .description("Jobs in the job table by type and status")
                    .tags("type", type, "status", status.name())
                    .register(registry);
        }
    }

    java.util.Optional<QueueSnapshot> current() {
        return java.util.Optional.ofNullable(snapshot.get());
    }

    /** Reads the job table's figures now (also what the {@code jobs} health contributor shows). */
    QueueSnapshot read() {
        Map<String, Map<JobStatus, Long>> counts = new java.util.TreeMap<>();
        Map<String, Instant> oldest = new java.util.TreeMap<>();
        jdbc.sql("""
                select type, status, count(*) as jobs,
                       min(created_at) filter (where status = 'QUEUED') as oldest_queued
                from job group by type, status""")
                .query(rs -> {
                    String type = rs.getString("type");
                    counts.computeIfAbsent(type, t -> new java.util.EnumMap<>(JobStatus.class))
                            .put(JobStatus.valueOf(rs.getString("status")), rs.getLong("jobs"));
                    java.sql.Timestamp queued = rs.getTimestamp("oldest_queued");
                    if (queued != null) {
                        oldest.merge(type, queued.toInstant(), (a, b) -> a.isBefore(b) ? a : b);
                    }
                });
        QueueSnapshot read = new QueueSnapshot(Instant.now(), counts, oldest);
        counts.keySet().forEach(this::registerQueueGauges);
        snapshot.set(read);
        return read;
    }

    private void refresh() {
        try {
            read();
        } catch (RuntimeException e) {
            // stale figures show it (queue.read.age); the readiness probe reports the database
            log.debug("Could not read the job queue figures: {}", e.toString());
        }
    }

    // recorded by the engine

    private Counter runsStarted(String type, int attempt) {
        return Counter.builder("cvdplanner.jobs.runs.started").description("Runs started (a resumed job starts another run)")
                .tags("type", type, "resumed", Boolean.toString(attempt > 0)).register(registry);
    }

    private Timer runTimer(String type, RunOutcome outcome) {
        return Timer.builder("cvdplanner.jobs.run.duration").description("Duration of a run on this instance, by how it ended")
                .tags("type", type, "outcome", outcome.tag())
                .serviceLevelObjectives(RUN_BUCKETS)
                .register(registry);
    }

    private Counter gaveUpCounter(String type) {
        return Counter.builder("cvdplanner.jobs.runs.gave.up").description("Jobs FAILED after max-attempts dead runs")
                .tags("type", type).register(registry);
    }

    void runStarted(String type, int attempt) {
        runsStarted(type, attempt).increment();
    }

    void runEnded(String type, RunOutcome outcome, long nanos) {
        runTimer(type, outcome).record(nanos, TimeUnit.NANOSECONDS);
    }

    void deadRun() {
        Counter.builder("cvdplanner.jobs.runs.dead")
                .description("Runs found dead (no heartbeat) and put back in the queue").register(registry).increment();
    }

    void gaveUp(String type) {
        gaveUpCounter(type).increment();
    }

    void engineFailure() {
        Counter.builder("cvdplanner.jobs.engine.failures")
                .description("Executions that failed in the engine itself (e.g. the database was unreachable)")
                .register(registry).increment();
    }

    /** Work a run reported through {@link JobContext#progress} or {@link JobContext#completed}. */
    void workDone(String type, String unit, long amount) {
        if (amount <= 0) {
            return;
        }
        Counter.builder("cvdplanner.jobs.work").description("Units of work done by running jobs (rate = throughput)")
                .tags("type", type, "unit", unit == null || unit.isBlank() ? "unit" : unit)
                .register(registry).increment(amount);
    }

    // lifecycle: the reader thread runs while the application does

    @Override
    public void start() {
        reader = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "job-metrics");
            thread.setDaemon(true);
            return thread;
        });
        long period = Math.max(100, Math.min(properties.pollingInterval().toMillis(), 5000));
        reader.scheduleWithFixedDelay(this::refresh, 0, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (reader != null) {
            reader.shutdownNow();
            reader = null;
        }
    }

    @Override
    public boolean isRunning() {
        return reader != null;
    }
}
