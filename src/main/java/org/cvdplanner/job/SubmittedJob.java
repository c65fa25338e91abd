package org.cvdplanner.job;

import java.net.URI;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The answer to a submission: where to follow the job; {@code externalRef} as submitted (or null). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SubmittedJob(UUID id, String type, String status, long seed, URI location, String externalRef) {
}
