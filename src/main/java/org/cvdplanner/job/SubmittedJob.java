package org.cvdplanner.job;

import java.net.URI;
import java.util.UUID;

/** The answer to a submission: where to follow the job. */
public record SubmittedJob(UUID id, String type, String status, long seed, URI location) {
}
