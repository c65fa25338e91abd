package org.cvdplanner.job;

import java.util.UUID;

import org.cvdplanner.system.ApiProblemException;
import org.springframework.http.HttpStatus;

/** No job with this id (404). */
public class JobNotFoundException extends ApiProblemException {

    public JobNotFoundException(UUID id) {
        super(HttpStatus.NOT_FOUND, "job-not-found", "Job not found", "no job with id " + id);
        with("jobId", id);
    }
}
