package org.cvdplanner.profile;

import org.cvdplanner.system.ApiProblemException;
import org.springframework.http.HttpStatus;

/** No dataset with this id (404). */
public class DatasetNotFoundException extends ApiProblemException {

    private final long datasetId;

    public DatasetNotFoundException(long datasetId) {
        super(HttpStatus.NOT_FOUND, "dataset-not-found", "Dataset not found", "dataset " + datasetId + " does not exist");
        with("datasetId", datasetId);
        this.datasetId = datasetId;
    }

    public long datasetId() {
        return datasetId;
    }
}
