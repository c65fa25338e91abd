package org.cvdplanner.capacity;

import org.cvdplanner.system.ApiProblemException;
import org.springframework.http.HttpStatus;

/** A request body ran past {@code cvd-planner.capacity.max-request-body} while being read (413). */
public class RequestBodyTooLargeException extends ApiProblemException {

    RequestBodyTooLargeException(long limit) {
        super(HttpStatus.CONTENT_TOO_LARGE, "request-too-large", "Request body too large",
                "the request body is larger than the " + limit + " bytes this endpoint accepts");
    }
}
