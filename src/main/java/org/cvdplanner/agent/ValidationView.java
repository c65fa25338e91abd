package org.cvdplanner.agent;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A proposal run through the built-in simulator, compared with its NADE forecast. */
public record ValidationView(UUID id, UUID proposalId, int replicas, long seed, ValidationErrors errors,
        List<ComparedStep> steps, Instant createdAt) {
}
