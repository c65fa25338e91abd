package org.cvdplanner.job;

/** Thrown by {@link JobContext#throwIfCancelled()}; the engine marks the job CANCELLED. */
public class JobCancelledException extends RuntimeException {

    public JobCancelledException() {
        super("job cancelled");
    }
}
