package org.cvdplanner.proposal;

import java.util.List;

import org.cvdplanner.agent.ProposalSettings;
import org.cvdplanner.system.RequestLimit;
import org.cvdplanner.system.RequestLimits;
import org.springframework.stereotype.Component;

/** The bounds {@link Proposals} checks, for the OpenAPI document. */
@Component
class ProposalRequestLimits implements RequestLimits {

    private final ProposalProperties properties;

    ProposalRequestLimits(ProposalProperties properties) {
        this.properties = properties;
    }

    @Override
    public List<RequestLimit> requestLimits() {
        String proposals = "/api/v1/agents/{id}/proposals";
        return List.of(new RequestLimit("POST", proposals, "count", 1, properties.maxProposals()),
                new RequestLimit("POST", proposals, "rollouts", 1, ProposalSettings.MAX_ROLLOUTS));
    }
}
