package org.cvdplanner.profile;

import org.cvdplanner.system.ApiProblemException;
import org.springframework.http.HttpStatus;
import org.springframework.util.unit.DataSize;

/** The upload exceeds cvd-planner.profiles.max-upload-size (413). */
class UploadTooLargeException extends ApiProblemException {

    UploadTooLargeException(DataSize limit) {
        super(HttpStatus.PAYLOAD_TOO_LARGE, "upload-too-large", "Upload too large",
                "the upload exceeds the limit of " + limit.toMegabytes() + " MB (cvd-planner.profiles.max-upload-size)");
        with("limitBytes", limit.toBytes());
    }
}
