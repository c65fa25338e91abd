package org.cvdplanner.profile;

import org.cvdplanner.system.ApiProblemException;
import org.springframework.http.HttpStatus;

/** The dataset is referenced (a trained model, a queued or running job) and cannot be deleted (409). */
class DatasetInUseException extends ApiProblemException {

    DatasetInUseException(long datasetId) {
        super(HttpStatus.CONFLICT, "dataset-in-use", "Dataset in use",
                "dataset " + datasetId + " is used by stored models or other records and cannot be deleted");
        with("datasetId", datasetId);
    }

    DatasetInUseException(long datasetId, java.util.List<java.util.UUID> jobs) {
        super(HttpStatus.CONFLICT, "dataset-in-use", "Dataset in use",
                "dataset " + datasetId + " is used by " + jobs.size() + " queued or running job(s) and cannot be deleted "
                        + "until they finish or are cancelled");
        with("datasetId", datasetId).with("jobs", jobs);
    }
}
