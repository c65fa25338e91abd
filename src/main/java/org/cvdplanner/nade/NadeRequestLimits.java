package org.cvdplanner.nade;

import java.util.List;

import org.cvdplanner.system.RequestLimit;
import org.cvdplanner.system.RequestLimits;
import org.springframework.stereotype.Component;

/** The bounds {@link NadePredictions} checks, for the OpenAPI document. */
@Component
class NadeRequestLimits implements RequestLimits {

    private final NadeProperties properties;

    NadeRequestLimits(NadeProperties properties) {
        this.properties = properties;
    }

    @Override
    public List<RequestLimit> requestLimits() {
        String predictions = "/api/v1/models/{id}/predictions";
        return List.of(new RequestLimit("POST", predictions, "rollouts", 1, properties.maxRollouts()),
                new RequestLimit("POST", predictions, "schedules", 1, properties.maxSchedules()));
    }
}
