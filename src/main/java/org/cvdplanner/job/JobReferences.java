package org.cvdplanner.job;

/**
 * A kind of record that new jobs refer to by a top-level parameter (e.g. {@code datasetId}) and
 * that must not be deleted under them. When a job is stored, the record is locked in the same
 * transaction, so a concurrent delete either waits and then finds the job ({@link ActiveJobs}),
 * or finishes first and the submission fails; never a job referring to a deleted record.
 */
public interface JobReferences {

    /** The top-level parameter that names the record, e.g. {@code datasetId}. */
    String parameter();

    /**
     * Locks the record until the caller's transaction ends (deletes wait); throws when it does
     * not exist (any more), e.g. an {@link InvalidJobParametersException} naming the parameter.
     */
    void lockForNewJob(long value);
}
