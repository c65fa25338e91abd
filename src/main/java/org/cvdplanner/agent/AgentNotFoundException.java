package org.cvdplanner.agent;

import java.util.UUID;

import org.cvdplanner.system.ApiProblemException;
import org.springframework.http.HttpStatus;

/** No agent with this id (404). */
public class AgentNotFoundException extends ApiProblemException {

    public AgentNotFoundException(UUID id) {
        super(HttpStatus.NOT_FOUND, "agent-not-found", "Agent not found", "agent " + id + " does not exist");
        with("agentId", id.toString());
    }
}
