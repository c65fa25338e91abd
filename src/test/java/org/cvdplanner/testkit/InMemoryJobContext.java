package org.cvdplanner.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

import org.cvdplanner.job.JobCancelledException;
import org.cvdplanner.job.JobContext;

/**
 * The engine's {@link JobContext} in memory, for running a job handler directly: it records
 * progress, metrics and checkpoints, and lets a test "kill" a run (a hook throws) or cancel it at
 * a chosen moment. {@link #resumed()} is the same job started again from the last checkpoint.
 */
public final class InMemoryJobContext implements JobContext {

    private final UUID jobId;
    private final long seed;
    private final int attempt;
    private byte[] checkpoint;
    private boolean cancel;
    private LongConsumer onProgress = done -> {
    };
    private Consumer<byte[]> beforeSave = state -> {
    };
    /** Every {@code done} reported, in order. */
    public final List<Long> progress = new ArrayList<>();
    /** Every metric point as {@code name@step}, in order. */
    public final List<String> metrics = new ArrayList<>();
    /** Every checkpoint stored, in order (the last one is {@link #checkpoint()}). */
    public final List<byte[]> savedCheckpoints = new ArrayList<>();

    public InMemoryJobContext(UUID jobId, long seed) {
        this(jobId, seed, 0, null);
    }

    private InMemoryJobContext(UUID jobId, long seed, int attempt, byte[] checkpoint) {
        this.jobId = jobId;
        this.seed = seed;
        this.attempt = attempt;
        this.checkpoint = checkpoint;
    }

    /** A fresh job with a random id. */
    public static InMemoryJobContext fresh(long seed) {
        return new InMemoryJobContext(UUID.randomUUID(), seed);
    }

    /** The same job run again (attempt + 1) from this run's last checkpoint, with no hooks. */
    public InMemoryJobContext resumed() {
        return new InMemoryJobContext(jobId, seed, attempt + 1, checkpoint);
    }

    /** Called with every progress report before it is recorded; throw from it to kill the run there. */
    public InMemoryJobContext onProgress(LongConsumer hook) {
        this.onProgress = hook;
        return this;
    }

    /** Called with every checkpoint before it is stored; throw from it to kill the run before the save. */
    public InMemoryJobContext beforeSave(Consumer<byte[]> hook) {
        this.beforeSave = hook;
        return this;
    }

    /** Asks the run to stop, as a user's cancel would. */
    public void cancel() {
        this.cancel = true;
    }

    /** The last checkpoint stored, or null. */
    public byte[] lastCheckpoint() {
        return checkpoint;
    }

    @Override
    public UUID jobId() {
        return jobId;
    }

    @Override
    public long seed() {
        return seed;
    }

    @Override
    public int attempt() {
        return attempt;
    }

    @Override
    public void progress(long done, long total, String unit) {
        onProgress.accept(done);
        progress.add(done);
    }

    @Override
    public void metric(String name, long step, double value) {
        metrics.add(name + "@" + step);
    }

    @Override
    public boolean isCancellationRequested() {
        return cancel;
    }

    @Override
    public void throwIfCancelled() {
        if (cancel) {
            throw new JobCancelledException();
        }
    }

    @Override
    public Optional<byte[]> checkpoint() {
        return Optional.ofNullable(checkpoint).map(byte[]::clone);
    }

    @Override
    public void saveCheckpoint(byte[] state) {
        beforeSave.accept(state);
        checkpoint = state.clone();
        savedCheckpoints.add(checkpoint);
    }
}
