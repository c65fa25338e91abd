package org.cvdplanner.profile;

import java.util.List;
import java.util.Map;

import org.cvdplanner.system.ApiProblemException;
import org.springframework.http.HttpStatus;

/**
 * An upload contained invalid profiles; nothing was stored. The problem detail names the first
 * violation at the top level (profile, step, field) and lists all rejected profiles.
 */
class InvalidProfilesException extends ApiProblemException {

    static final int MAX_LISTED = 100;

    InvalidProfilesException(long datasetId, List<ProfileViolation> violations, long rejectedProfiles) {
        super(HttpStatus.UNPROCESSABLE_CONTENT, "invalid-profiles", "Invalid profiles",
                rejectedProfiles + " profile(s) rejected, nothing stored; first: " + violations.get(0).describe());
        ProfileViolation first = violations.get(0);
        with("datasetId", datasetId);
        with("profile", first.profile());
        with("step", first.step());
        with("field", first.field());
        with("rejectedCount", rejectedProfiles);
        with("rejected", violations.stream().limit(MAX_LISTED).map(v -> {
            var m = new java.util.LinkedHashMap<String, Object>();
            m.put("profile", v.profile());
            if (v.step() != null) {
                m.put("step", v.step());
            }
            if (v.field() != null) {
                m.put("field", v.field());
            }
            m.put("reason", v.reason());
            return (Map<String, Object>) m;
        }).toList());
    }
}
