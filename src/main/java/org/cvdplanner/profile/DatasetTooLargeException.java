package org.cvdplanner.profile;

import org.cvdplanner.system.ApiProblemException;
import org.springframework.http.HttpStatus;

/** A dataset has more profiles than one training run may load into memory (422). */
public class DatasetTooLargeException extends ApiProblemException {

    DatasetTooLargeException(long datasetId, long count, int limit) {
        super(HttpStatus.UNPROCESSABLE_CONTENT, "dataset-too-large", "Dataset too large",
                "dataset " + datasetId + " has " + count + " profiles; one training run loads at most " + limit
                        + " (cvd-planner.profiles.max-training-profiles)");
        with("datasetId", datasetId).with("profileCount", count).with("limit", limit);
    }
}
