package org.cvdplanner.agent;

import java.util.List;

import org.cvdplanner.system.RequestLimit;
import org.cvdplanner.system.RequestLimits;
import org.springframework.stereotype.Component;

/**
 * The bounds the agent checks on training parameters and analyses, for the OpenAPI document
 * (σ, the learning rate and γ must also be above 0; the document shows their maximum).
 */
@Component
class AgentRequestLimits implements RequestLimits {

    private final AgentProperties properties;

    AgentRequestLimits(AgentProperties properties) {
        this.properties = properties;
    }

    @Override
    public List<RequestLimit> requestLimits() {
        String training = "/api/v1/jobs/agent-training";
        return List.of(new RequestLimit("POST", training, "episodes", 1, maxEpisodes()),
                new RequestLimit("POST", training, "batchSize", 1, AgentHyperParameters.MAX_BATCH),
                new RequestLimit("POST", training, "sigma", null, 100),
                new RequestLimit("POST", training, "learningRate", null, 1),
                new RequestLimit("POST", training, "gamma", null, 1),
                new RequestLimit("GET", "/api/v1/agents/{id}/analyses/initial-s2", "count", 2, properties.maxAnalysisSchedules()));
    }

    /** The setting, within what the hyper-parameters accept at all. */
    int maxEpisodes() {
        return Math.min(properties.maxEpisodes(), AgentHyperParameters.MAX_EPISODES);
    }
}
