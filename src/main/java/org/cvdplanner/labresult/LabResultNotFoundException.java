package org.cvdplanner.labresult;

import java.util.UUID;

import org.cvdplanner.system.ApiProblemException;
import org.springframework.http.HttpStatus;

/** No lab result with this id (404). */
class LabResultNotFoundException extends ApiProblemException {

    LabResultNotFoundException(UUID id) {
        super(HttpStatus.NOT_FOUND, "lab-result-not-found", "Lab result not found", "no lab result " + id);
        with("labResultId", id);
    }
}
