package org.cvdplanner.job;

/** The life of a job: QUEUED → RUNNING → SUCCEEDED | FAILED | CANCELLED (RUNNING may go back to QUEUED). */
public enum JobStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
