package org.cvdplanner.nade;

import java.util.UUID;

import org.cvdplanner.system.ApiProblemException;
import org.springframework.http.HttpStatus;

/** No NADE model with this id (404). */
public class NadeModelNotFoundException extends ApiProblemException {

    public NadeModelNotFoundException(UUID id) {
        super(HttpStatus.NOT_FOUND, "model-not-found", "Model not found", "NADE model " + id + " does not exist");
        with("modelId", id.toString());
    }
}
