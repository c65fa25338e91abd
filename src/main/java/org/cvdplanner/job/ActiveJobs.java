package org.cvdplanner.job;

import java.util.List;
import java.util.UUID;

/** Which unfinished jobs refer to a record, so that the record is not deleted under them. */
public interface ActiveJobs {

    /**
     * Queued or running jobs whose parameters have {@code parameter} (a top-level field, e.g.
     * {@code datasetId}) equal to {@code value}.
     */
    List<UUID> activeJobsWithParameter(String parameter, long value);
}
