package org.cvdplanner.profile;

import org.cvdplanner.system.ApiProblemException;
import org.springframework.http.HttpStatus;

/** The upload could not be parsed at all (bad JSON, bad CSV header, ...): 400, nothing stored. */
class MalformedUploadException extends ApiProblemException {

    MalformedUploadException(String detail) {
        super(HttpStatus.BAD_REQUEST, "malformed-upload", "Upload could not be read", detail);
    }
}
