package org.cvdplanner.nade;

/** A hyper-parameter is out of range; names the field so callers can report it. */
public class InvalidHyperParameterException extends IllegalArgumentException {

    private final String field;

    public InvalidHyperParameterException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
