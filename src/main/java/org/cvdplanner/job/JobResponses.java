package org.cvdplanner.job;

import org.springframework.http.ResponseEntity;

/**
 * How every job-creating endpoint answers, so they all behave alike:
 *
 * <pre>{@code
 * @PostMapping("/api/v1/jobs/nade-training")
 * ResponseEntity<SubmittedJob> train(@RequestBody NadeTrainingParameters parameters,
 *         @RequestHeader(name = JobResponses.IDEMPOTENCY_KEY, required = false) String idempotencyKey) {
 *     return JobResponses.accepted(jobs.submit("nade-training", parameters, parameters.seed(), idempotencyKey));
 * }
 * }</pre>
 *
 * 202 Accepted, {@code Location: /api/v1/jobs/{id}}, and the {@link SubmittedJob} as body. A
 * retried request with the same key and body gets the same answer (the job's current status);
 * the same key with another body is a 422 thrown by {@link JobSubmitter#submit}.
 */
public final class JobResponses {

    /** The request header that makes a job-creating POST idempotent. */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private JobResponses() {
    }

    public static ResponseEntity<SubmittedJob> accepted(SubmittedJob job) {
        return ResponseEntity.accepted().location(job.location()).body(job);
    }
}
