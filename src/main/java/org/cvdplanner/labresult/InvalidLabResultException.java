package org.cvdplanner.labresult;

import org.cvdplanner.system.ApiProblemException;
import org.springframework.http.HttpStatus;

/** A lab result that cannot be accepted (400), naming the field and, where it applies, the step. */
class InvalidLabResultException extends ApiProblemException {

    InvalidLabResultException(String field, Integer step, String reason) {
        super(HttpStatus.BAD_REQUEST, "invalid-lab-result", "Invalid lab result", field + ": " + reason);
        with("field", field);
        with("step", step);
    }
}
