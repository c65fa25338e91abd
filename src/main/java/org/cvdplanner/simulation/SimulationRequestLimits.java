package org.cvdplanner.simulation;

import java.util.List;

import org.cvdplanner.system.RequestLimit;
import org.cvdplanner.system.RequestLimits;
import org.springframework.stereotype.Component;

/** The bounds the simulator checks on runs, campaigns and proposal validations, for the OpenAPI document. */
@Component
class SimulationRequestLimits implements RequestLimits {

    private final SimulatorProperties properties;

    SimulationRequestLimits(SimulatorProperties properties) {
        this.properties = properties;
    }

    @Override
    public List<RequestLimit> requestLimits() {
        String runs = "/api/v1/simulations/runs";
        String campaigns = "/api/v1/datasets/{datasetId}/simulations";
        return List.of(new RequestLimit("POST", runs, "schedules", 1, properties.maxSchedulesPerRequest()),
                new RequestLimit("POST", runs, "replicas", 1, properties.maxReplicas()),
                new RequestLimit("POST", campaigns, "count", 1, properties.maxCampaignProfiles()),
                new RequestLimit("POST", campaigns, "schedules", null, properties.maxCampaignSchedules()),
                new RequestLimit("POST", campaigns, "replicasPerSchedule", 1, properties.maxReplicas()),
                // a validation runs the simulator: its replicas are the simulator's
                new RequestLimit("POST", "/api/v1/proposals/{id}/validations", "replicas", 1, properties.maxReplicas()));
    }
}
