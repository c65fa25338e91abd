package org.cvdplanner.proposal;

import java.util.UUID;

/**
 * The phase order along a proposal: in its NADE forecast, in its latest simulator validation
 * (null when it has none), and the shape of its schedule.
 */
public record PhaseOrderView(UUID proposalId, PhaseOrder predicted, UUID validationId, PhaseOrder simulated,
        ScheduleShape schedule) {
}
