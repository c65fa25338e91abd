package org.cvdplanner.job;

import java.time.Instant;
import java.util.UUID;

/** One row of the job table, as stored (JSON columns as text). */
record JobRecord(UUID id, long seq, String type, JobStatus status, String parametersJson, long seed,
        String idempotencyKey, String requestHash, Long progressDone, Long progressTotal, String progressUnit,
        String resultJson, String error, String instance, int attempts, int releases, boolean cancelRequested,
        Instant createdAt, Instant startedAt, Instant updatedAt, Instant finishedAt, String externalRef) {
}
