package org.cvdplanner.capacity;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Request limits ({@code cvd-planner.capacity.*}).
 *
 * @param maxRequestBody largest body of any request except profile uploads (those have
 *     {@code cvd-planner.profiles.max-upload-size}); larger is 413, checked while reading
 * @param cpuWorkConcurrency CPU-heavy synchronous requests served at once (0 = the processors)
 * @param cpuWorkQueue how many more may wait for a turn; past that the answer is 503 at once
 * @param cpuWorkWait how long a waiting request waits for a turn before it is answered 503
 * @param cpuWorkRoutes {@code METHOD path-pattern} of the CPU-heavy synchronous endpoints
 * @param maxApiRequests API requests served at once; one more is 503 at once (keep below the
 *     servlet threads, {@code server.tomcat.threads.max}, 200, so probes always find a thread)
 * @param maxUploads profile uploads at once (each holds a database connection while its body
 *     streams in; keep below the connection pool, {@code spring.datasource.hikari.maximum-pool-size}, 10)
 */
@Validated
@ConfigurationProperties("cvd-planner.capacity")
record CapacityProperties(
        @DefaultValue("1MB") DataSize maxRequestBody,
        @DefaultValue("0") @Min(0) @Max(1024) int cpuWorkConcurrency,
        @DefaultValue("16") @Min(0) @Max(10_000) int cpuWorkQueue,
        @DefaultValue("10s") Duration cpuWorkWait,
        @DefaultValue({"POST /api/v1/simulations/runs", "POST /api/v1/agents/*/proposals",
                "GET /api/v1/agents/*/analyses/**", "POST /api/v1/models/*/predictions",
                "POST /api/v1/proposals/*/validations"}) List<String> cpuWorkRoutes,
        @DefaultValue("64") @Min(1) @Max(10_000) int maxApiRequests,
        @DefaultValue("4") @Min(1) @Max(1_000) int maxUploads) {

    int effectiveCpuWorkConcurrency() {
        return cpuWorkConcurrency > 0 ? cpuWorkConcurrency : Runtime.getRuntime().availableProcessors();
    }
}
