package org.cvdplanner.profile;

import org.cvdplanner.system.ApiProblemException;
import org.springframework.http.HttpStatus;

/** The dataset is referenced (e.g. by a trained model) and cannot be deleted (409). */
class DatasetInUseException extends ApiProblemException {

    DatasetInUseException(long datasetId) {
        super(HttpStatus.CONFLICT, "dataset-in-use", "Dataset in use",
                "dataset " + datasetId + " is used by stored models or other records and cannot be deleted");
        with("datasetId", datasetId);
    }
}
