package org.cvdplanner.webhook;

import java.util.List;

/** The events a subscription may ask for (written by the database triggers of V11_2). */
final class EventType {

    static final List<String> ALL = List.of("job.succeeded", "job.failed", "job.cancelled", "model.created",
            "agent.created", "proposal.created", "validation.created", "lab-result.received");

    private EventType() {
    }
}
