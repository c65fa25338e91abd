package org.cvdplanner.job;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.ObjLongConsumer;

/**
 * The engine's side of one run of a job. Progress and metrics are buffered and written at most
 * every {@code progressWriteInterval}; cancel requests are read at most every
 * {@code cancelCheckInterval}. Every write is fenced by the run's attempt number.
 */
final class EngineJobContext implements JobContext {

    /** Why a run stops early. */
    enum StopReason { NONE, CANCELLED, SHUTDOWN, SUPERSEDED, TIMED_OUT }

    private final UUID jobId;
    private final long seed;
    private final int attempt;
    private final JobRepository repository;
    private final BooleanSupplier shuttingDown;
    private final long progressIntervalNanos;
    private final long cancelIntervalNanos;
    /** Work done in this run, by unit (the job metrics' throughput counters). */
    private final ObjLongConsumer<String> work;
    private Long lastReportedDone;
    private String lastReportedUnit;

    private final Object lock = new Object();
    private byte[] checkpoint;
    private Long done;
    private Long total;
    private String unit;
    private boolean progressDirty;
    private final List<Metric> pendingMetrics = new ArrayList<>();
    private long lastWrite = System.nanoTime();
    private long lastCancelCheck = System.nanoTime();
    private volatile boolean cancelRequested;
    private volatile boolean superseded;
    private final long deadlineNanos;

    private record Metric(String name, long step, double value) {
    }

    EngineJobContext(UUID jobId, long seed, int attempt, byte[] checkpoint, JobRepository repository,
            BooleanSupplier shuttingDown, Duration progressInterval, Duration cancelInterval, Duration timeLeft,
            ObjLongConsumer<String> work) {
        this.jobId = jobId;
        this.seed = seed;
        this.attempt = attempt;
        this.checkpoint = checkpoint;
        this.repository = repository;
        this.shuttingDown = shuttingDown;
        this.progressIntervalNanos = progressInterval.toNanos();
        this.cancelIntervalNanos = cancelInterval.toNanos();
        this.work = work;
        this.deadlineNanos = System.nanoTime() + Math.max(0, timeLeft.toNanos());
    }

    @Override
    public UUID jobId() {
        return jobId;
    }

    @Override
    public long seed() {
        return seed;
    }

    /** 0 on the first run; the fencing token stored in the job table is {@code attempt() + 1}. */
    @Override
    public int attempt() {
        return attempt;
    }

    int fencingToken() {
        return attempt + 1;
    }

    @Override
    public void progress(long done, long total, String unit) {
        synchronized (lock) {
            // the first report of a run (e.g. where a resumed job starts) is the baseline, not work done here
            if (lastReportedDone != null && java.util.Objects.equals(unit, lastReportedUnit) && done > lastReportedDone) {
                work.accept(unit, done - lastReportedDone);
            }
            lastReportedDone = done;
            lastReportedUnit = unit;
            this.done = done;
            this.total = total;
            this.unit = unit;
            this.progressDirty = true;
            if (done >= total || System.nanoTime() - lastWrite >= progressIntervalNanos) {
                flushLocked();
            }
        }
    }

    @Override
    public void completed(String unit, long count) {
        if (count > 0 && unit != null && !unit.isBlank()) {
            work.accept(unit, count);
        }
    }

    @Override
    public void metric(String name, long step, double value) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("metric name must not be blank");
        }
        synchronized (lock) {
            pendingMetrics.add(new Metric(name, step, value));
            if (System.nanoTime() - lastWrite >= progressIntervalNanos) {
                flushLocked();
            }
        }
    }

    @Override
    public boolean isCancellationRequested() {
        return stopReason() != StopReason.NONE;
    }

    /** Why the run should stop, reading the database at most every cancelCheckInterval. */
    StopReason stopReason() {
        if (!superseded && !cancelRequested && System.nanoTime() - lastCancelCheck >= cancelIntervalNanos) {
            synchronized (lock) {
                if (progressDirty || !pendingMetrics.isEmpty()) {
                    flushLocked();
                } else {
                    lastCancelCheck = System.nanoTime();
                    repository.cancelRequested(jobId, fencingToken())
                            .ifPresentOrElse(flag -> cancelRequested = flag, () -> superseded = true);
                }
            }
        }
        if (superseded) {
            return StopReason.SUPERSEDED;
        }
        if (cancelRequested) {
            return StopReason.CANCELLED;
        }
        if (System.nanoTime() - deadlineNanos >= 0) {
            return StopReason.TIMED_OUT;
        }
        return shuttingDown.getAsBoolean() ? StopReason.SHUTDOWN : StopReason.NONE;
    }

    /** Asks this run to stop at its next boundary (a cancel sent to this instance). */
    void requestCancel() {
        cancelRequested = true;
    }

    @Override
    public void throwIfCancelled() {
        if (isCancellationRequested()) {
            throw new JobCancelledException();
        }
    }

    @Override
    public Optional<byte[]> checkpoint() {
        synchronized (lock) {
            return Optional.ofNullable(checkpoint).map(byte[]::clone);
        }
    }

    @Override
    public void saveCheckpoint(byte[] state) {
        if (state == null) {
            throw new IllegalArgumentException("checkpoint must not be null");
        }
        synchronized (lock) {
            flushLocked();
            if (superseded || !repository.saveCheckpoint(jobId, fencingToken(), state)) {
                superseded = true;
                throw new JobCancelledException();
            }
            checkpoint = state.clone();
        }
    }

    /** Writes buffered progress and metrics now (end of a run). */
    void flush() {
        synchronized (lock) {
            flushLocked();
        }
    }

    boolean superseded() {
        return superseded;
    }

    private void flushLocked() {
        long now = System.nanoTime();
        lastWrite = now;
        if (superseded) {
            return;
        }
        if (progressDirty || !pendingMetrics.isEmpty()) {
            lastCancelCheck = now;
            // the progress update also answers whether a cancel was requested and whether we still own the job
            Optional<Boolean> cancel = repository.progress(jobId, fencingToken(), progressDirty ? done : null,
                    progressDirty ? total : null, progressDirty ? unit : null);
            if (cancel.isEmpty()) {
                superseded = true;
                return;
            }
            cancelRequested |= cancel.get();
            progressDirty = false;
        }
        for (Metric m : pendingMetrics) {
            repository.saveMetric(jobId, fencingToken(), m.name(), m.step(), m.value());
        }
        pendingMetrics.clear();
    }
}
