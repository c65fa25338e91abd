package org.cvdplanner.profile;

/**
 * Why one profile was rejected: which profile (external id, or its position in the upload when
 * it has none), which step (null when the whole profile is concerned), which field, and why.
 */
record ProfileViolation(String profile, Integer step, String field, String reason) {

    String describe() {
        return "profile '" + profile + "'" + (step == null ? "" : ", step " + step)
                + (field == null ? "" : ", field " + field) + ": " + reason;
    }
}
