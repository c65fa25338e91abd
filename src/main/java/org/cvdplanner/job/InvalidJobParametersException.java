package org.cvdplanner.job;

import org.cvdplanner.system.ApiProblemException;
import org.springframework.http.HttpStatus;

/** A job's parameters are invalid; becomes a 422 problem detail naming the field. */
public class InvalidJobParametersException extends ApiProblemException {

    private final String field;

    public InvalidJobParametersException(String field, String message) {
        super(HttpStatus.UNPROCESSABLE_CONTENT, "invalid-job-parameters", "Invalid job parameters", field + ": " + message);
        with("field", field);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
