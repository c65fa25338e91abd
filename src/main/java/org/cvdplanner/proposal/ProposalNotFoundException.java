package org.cvdplanner.proposal;

import java.util.UUID;

import org.cvdplanner.system.ApiProblemException;
import org.springframework.http.HttpStatus;

/** No proposal with this id (404). */
public class ProposalNotFoundException extends ApiProblemException {

    public ProposalNotFoundException(UUID id) {
        super(HttpStatus.NOT_FOUND, "proposal-not-found", "Proposal not found", "proposal " + id + " does not exist");
        with("proposalId", id.toString());
    }
}
