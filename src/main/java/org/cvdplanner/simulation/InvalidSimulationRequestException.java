package org.cvdplanner.simulation;

import org.cvdplanner.system.ApiProblemException;
import org.springframework.http.HttpStatus;

/**
 * A simulation request the simulator cannot or will not run (422): names the field (a JSON path
 * such as {@code schedules[2].steps[5].temperatureK}) and, for a schedule, its index and step.
 */
public class InvalidSimulationRequestException extends ApiProblemException {

    private final String field;

    public InvalidSimulationRequestException(String field, String reason) {
        super(HttpStatus.UNPROCESSABLE_CONTENT, "invalid-simulation-request", "Invalid simulation request",
                field + ": " + reason);
        this.field = field;
        with("field", field);
        with("reason", reason);
    }

    public String field() {
        return field;
    }
}
