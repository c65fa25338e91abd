package org.cvdplanner.job;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.databind.JsonNode;

/** A job as the API shows it. {@code metrics} only on the single-job resource. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record JobView(UUID id, String type, JobStatus status, JsonNode parameters, long seed, Progress progress,
        JsonNode result, String error, String instance, int attempts, boolean cancelRequested, Instant createdAt,
        Instant startedAt, Instant updatedAt, Instant finishedAt, String externalRef, Map<String, List<Point>> metrics) {

    record Progress(Long done, Long total, String unit, Double fraction) {
    }

    record Point(long step, double value) {
    }

    record Page(List<JobView> items, String nextCursor) {
    }
}
