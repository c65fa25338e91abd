package org.cvdplanner.agent;

import org.cvdplanner.system.ApiProblemException;
import org.springframework.http.HttpStatus;

/** A request to the agent feature is invalid (422), naming the field. */
public class InvalidAgentRequestException extends ApiProblemException {

    public InvalidAgentRequestException(String field, String message) {
        super(HttpStatus.UNPROCESSABLE_CONTENT, "invalid-agent-request", "Invalid agent request", field + ": " + message);
        with("field", field);
    }

    public static InvalidAgentRequestException of(InvalidAgentParameterException e) {
        return new InvalidAgentRequestException(e.field(), e.getMessage().substring(e.field().length() + 2));
    }

    /** {@link ProposalMode#parse} of a request value: an unknown mode is a 422 naming "mode". */
    public static ProposalMode proposalMode(String name) {
        try {
            return ProposalMode.parse(name);
        } catch (InvalidAgentParameterException e) {
            throw of(e);
        }
    }
}
