package org.cvdplanner.job;

import java.util.Map;

/**
 * What a job produced, e.g. {@code JobResult.of("modelId", id)}. Values must be JSON-friendly
 * (strings, numbers, booleans, lists, maps).
 */
public record JobResult(Map<String, Object> values) {

    public JobResult {
        values = Map.copyOf(values);
    }

    public static JobResult of(String key, Object value) {
        return new JobResult(Map.of(key, value));
    }

    public static JobResult empty() {
        return new JobResult(Map.of());
    }
}
