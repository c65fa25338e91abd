package org.cvdplanner.profile;

import org.cvdplanner.job.InvalidJobParametersException;
import org.cvdplanner.job.JobReferences;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Jobs that name a {@code datasetId} key-share-lock the dataset row while they are stored: a
 * delete ({@code for update}) either waits and then refuses with 409 because of the new job, or
 * commits first and the submission is refused with 422. Never a job on a deleted dataset.
 */
@Component
class DatasetJobReferences implements JobReferences {

    private final JdbcTemplate jdbc;

    DatasetJobReferences(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public String parameter() {
        return "datasetId";
    }

    @Override
    public void lockForNewJob(long datasetId) {
        if (jdbc.queryForList("select id from dataset where id = ? for key share", Long.class, datasetId).isEmpty()) {
            throw new InvalidJobParametersException("datasetId", "dataset " + datasetId + " does not exist");
        }
    }
}
