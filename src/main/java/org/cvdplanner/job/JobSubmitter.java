package org.cvdplanner.job;

/**
 * Submits jobs. Features that start work (simulation campaigns, NADE training, agent training)
 * call this from their controllers and answer 202 with {@link SubmittedJob#location()}.
 */
public interface JobSubmitter {

    /**
     * Validates and stores a job in state QUEUED and schedules it.
     *
     * @param type a registered {@link JobHandler#type()}
     * @param parameters the handler's parameters record
     * @param seed the user's seed, or null to draw one (stored either way)
     * @param idempotencyKey the request's {@code Idempotency-Key} header, or null. The same key
     *     with the same type and parameters returns the job created first; with different ones
     *     it throws {@link IdempotencyKeyReusedException} (422).
     */
    default SubmittedJob submit(String type, Object parameters, Long seed, String idempotencyKey) {
        return submit(type, parameters, seed, idempotencyKey, null);
    }

    /**
     * The same, with the lab system's own reference (sample, run, request) stored with the job,
     * shown in every view of it and usable as a list filter; part of what an idempotent retry
     * must repeat.
     *
     * @param externalRef null, or 1 to 200 characters without control characters (else 400
     *     naming {@code externalRef})
     */
    SubmittedJob submit(String type, Object parameters, Long seed, String idempotencyKey, String externalRef);
}
