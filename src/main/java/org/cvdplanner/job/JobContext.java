package org.cvdplanner.job;

import java.util.Optional;
import java.util.UUID;

/** What a running job sees of the engine. All methods are safe to call from the job's thread. */
public interface JobContext {

    UUID jobId();

    /** The job's seed: given by the user or drawn at submission and stored, so reruns agree. */
    long seed();

    /** How many times this job has been started before (0 on the first run, 1 after a resume...). */
    int attempt();

    /**
     * Reports progress, e.g. {@code progress(12, 100, "epoch")}. Cheap to call often; the
     * engine throttles writes to the database.
     */
    void progress(long done, long total, String unit);

    /**
     * Counts finished units of work that progress does not report, e.g. {@code completed("epoch", 1)}
     * where progress counts batches. Feeds the throughput metric only (docs/operations.md).
     */
    default void completed(String unit, long count) {
    }

    /** Appends one point to a metric history, e.g. {@code metric("validationNll", 12, 81.3)}. */
    void metric(String name, long step, double value);

    /** True once a user asked to cancel (or the instance is shutting down). */
    boolean isCancellationRequested();

    /** Throws {@link JobCancelledException} when cancellation was requested. */
    void throwIfCancelled();

    /** The last checkpoint saved by this job, if any (present on a resumed run). */
    Optional<byte[]> checkpoint();

    /**
     * Stores a checkpoint in PostgreSQL, replacing the previous one, committed before this
     * method returns. Keep it to what is needed to resume (model + updater state, a counter).
     */
    void saveCheckpoint(byte[] state);
}
