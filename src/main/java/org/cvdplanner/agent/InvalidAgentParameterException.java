package org.cvdplanner.agent;

/** An agent hyper-parameter or request value is out of range; names the field. */
public class InvalidAgentParameterException extends IllegalArgumentException {

    private final String field;

    public InvalidAgentParameterException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
