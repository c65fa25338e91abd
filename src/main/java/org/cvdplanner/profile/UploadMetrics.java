package org.cvdplanner.profile;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

/**
 * Upload meters (docs/operations.md): profiles received by result (created or duplicate) and the
 * duration of accepted uploads by format; profiles per second is the rate of the first.
 */
@Component
class UploadMetrics {

    private static final Duration[] BUCKETS = {Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120)};

    private final MeterRegistry registry;

    UploadMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void accepted(UploadFormat format, UploadReport report, long nanos) {
        String f = format.name().toLowerCase(java.util.Locale.ROOT);
        Counter.builder("cvdplanner.profiles.uploaded").description("Profiles in accepted uploads")
                .tags("format", f, "result", "created").register(registry).increment(report.created());
        Counter.builder("cvdplanner.profiles.uploaded").description("Profiles in accepted uploads")
                .tags("format", f, "result", "duplicate").register(registry).increment(report.duplicates());
        Timer.builder("cvdplanner.profiles.upload.duration").description("Duration of accepted uploads")
                .tag("format", f).serviceLevelObjectives(BUCKETS).register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }
}
