package org.cvdplanner.job;

import org.cvdplanner.system.ApiProblemException;
import org.springframework.http.HttpStatus;

/** The same Idempotency-Key was sent with a different request body (422). */
public class IdempotencyKeyReusedException extends ApiProblemException {

    public IdempotencyKeyReusedException(String key) {
        super(HttpStatus.UNPROCESSABLE_CONTENT, "idempotency-key-reused", "Idempotency-Key reused", "Idempotency-Key '" + key + "' was already used with a different request");
    }
}
