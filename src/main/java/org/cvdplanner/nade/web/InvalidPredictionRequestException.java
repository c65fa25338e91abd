package org.cvdplanner.nade.web;

import org.cvdplanner.system.ApiProblemException;
import org.springframework.http.HttpStatus;

/** A prediction request that cannot be run: names the schedule, step and field (422). */
class InvalidPredictionRequestException extends ApiProblemException {

    InvalidPredictionRequestException(String field, String reason) {
        this(null, null, field, reason);
    }

    InvalidPredictionRequestException(Integer schedule, Integer step, String field, String reason) {
        super(HttpStatus.UNPROCESSABLE_CONTENT, "invalid-prediction-request", "Invalid prediction request",
                (schedule == null ? "" : "schedule " + schedule + (step == null ? "" : ", step " + step) + ", ")
                        + field + ": " + reason);
        with("schedule", schedule);
        with("step", step);
        with("field", field);
        with("reason", reason);
    }
}
