package org.cvdplanner.system;

import org.springframework.http.HttpStatus;

/**
 * A lab system's own identifier (sample, run, request) attached to a dataset, job, proposal or
 * lab result, and the filter of their lists. Free text, but bounded, so it fits an index and a
 * log line: 1 to {@value #MAX_LENGTH} characters, not blank, no control characters.
 */
public final class ExternalRefs {

    public static final int MAX_LENGTH = 200;
    public static final String FIELD = "externalRef";

    private ExternalRefs() {
    }

    /**
     * The value unchanged, or null when absent.
     *
     * @throws ApiProblemException 400 naming {@code externalRef} when it breaks the rule
     */
    public static String check(String value) {
        if (value == null) {
            return null;
        }
        if (value.isBlank()) {
            throw invalid("must not be blank (leave it out for none)");
        }
        if (value.length() > MAX_LENGTH) {
            throw invalid("at most " + MAX_LENGTH + " characters (got " + value.length() + ")");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw invalid("must not contain control characters (position " + i + ")");
            }
        }
        return value;
    }

    private static ApiProblemException invalid(String reason) {
        return new ApiProblemException(HttpStatus.BAD_REQUEST, "invalid-external-ref", "Invalid externalRef",
                FIELD + ": " + reason).with("field", FIELD).with("reason", reason);
    }
}
