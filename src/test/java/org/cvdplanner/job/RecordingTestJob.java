package org.cvdplanner.job;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * A test-only job that records, outside the engine's own bookkeeping, how often each job ran
 * and whether two runs of one job ever overlapped (shared by every context in the test JVM).
 */
public class RecordingTestJob implements JobHandler<RecordingTestJob.Parameters> {

    static final String TYPE = "test-recording";
    static final Map<UUID, AtomicInteger> RUNS = new ConcurrentHashMap<>();
    static final Set<UUID> RUNNING = ConcurrentHashMap.newKeySet();
    static final AtomicInteger OVERLAPS = new AtomicInteger();

    record Parameters(long sleepMs) {
    }

    @TestConfiguration(proxyBeanMethods = false)
    public static class Configuration {
        @Bean
        RecordingTestJob recordingTestJob() {
            return new RecordingTestJob();
        }
    }

    static void reset() {
        RUNS.clear();
        RUNNING.clear();
        OVERLAPS.set(0);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Class<Parameters> parametersType() {
        return Parameters.class;
    }

    @Override
    public JobResult run(Parameters parameters, JobContext context) throws InterruptedException {
        if (!RUNNING.add(context.jobId())) {
            OVERLAPS.incrementAndGet();
        }
        try {
            RUNS.computeIfAbsent(context.jobId(), id -> new AtomicInteger()).incrementAndGet();
            Thread.sleep(parameters.sleepMs());
            return JobResult.of("slept", parameters.sleepMs());
        } finally {
            RUNNING.remove(context.jobId());
        }
    }
}
