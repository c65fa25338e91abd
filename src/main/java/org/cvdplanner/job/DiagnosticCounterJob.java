package org.cvdplanner.job;

import java.nio.ByteBuffer;
import java.util.Map;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;

/**
 * The built-in diagnostic job: a slow counter that checkpoints. It counts from 0 to
 * {@code target}, sleeping {@code stepDelayMs} per step, folding every step into a checksum
 * seeded by the job's seed, and saves (count, checksum) every {@code checkpointEvery} steps and
 * when asked to stop. A run resumed from a checkpoint ends with the same checksum as an
 * uninterrupted one, so the result proves that no step was lost or counted twice. Each run
 * records the metric {@code resumedFrom} at step = attempt. {@code failAt} makes it fail on
 * purpose at that count (to see FAILED). Off in production: only with
 * {@code cvd-planner.jobs.diagnostics-enabled=true} (tests, the container check).
 */
@Component
@ConditionalOnBooleanProperty("cvd-planner.jobs.diagnostics-enabled")
class DiagnosticCounterJob implements JobHandler<DiagnosticCounterJob.Parameters> {

    static final String TYPE = "diagnostic-counter";

    /**
     * @param target how far to count (1 to 10,000,000)
     * @param stepDelayMs sleep per step (0 to 60,000 ms; default 100)
     * @param checkpointEvery save a checkpoint every so many steps (default 10)
     * @param failAt if set, fail on purpose when reaching this count
     */
    record Parameters(@NotNull @Min(1) @Max(10_000_000) Long target, @Min(0) @Max(60_000) Long stepDelayMs,
            @Min(1) Long checkpointEvery, @Min(1) Long failAt) {

        Parameters {
            stepDelayMs = stepDelayMs == null ? 100L : stepDelayMs;
            checkpointEvery = checkpointEvery == null ? 10L : checkpointEvery;
        }
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
    public void validate(Parameters parameters) {
        if (parameters.failAt() != null && parameters.failAt() > parameters.target()) {
            throw new InvalidJobParametersException("failAt", "must not be greater than target");
        }
    }

    @Override
    public JobResult run(Parameters p, JobContext context) throws InterruptedException {
        long count = 0;
        long checksum = 0;
        var saved = context.checkpoint();
        if (saved.isPresent()) {
            ByteBuffer state = ByteBuffer.wrap(saved.get());
            count = state.getLong();
            checksum = state.getLong();
        }
        long resumedFrom = count;
        context.metric("resumedFrom", context.attempt(), resumedFrom);
        context.progress(count, p.target(), "count");
        while (count < p.target()) {
            if (context.isCancellationRequested()) {
                context.saveCheckpoint(state(count, checksum));
                context.throwIfCancelled();
            }
            if (p.failAt() != null && count + 1 == p.failAt()) {
                throw new IllegalStateException("diagnostic failure requested at count " + p.failAt());
            }
            if (p.stepDelayMs() > 0) {
                Thread.sleep(p.stepDelayMs());
            }
            checksum = step(checksum, context.seed(), count);
            count++;
            context.progress(count, p.target(), "count");
            if (count % p.checkpointEvery() == 0 && count < p.target()) {
                context.saveCheckpoint(state(count, checksum));
            }
        }
        return new JobResult(Map.of("count", count, "checksum", Long.toHexString(checksum), "resumedFrom", resumedFrom,
                "attempt", context.attempt()));
    }

    static byte[] state(long count, long checksum) {
        return ByteBuffer.allocate(16).putLong(count).putLong(checksum).array();
    }

    /** The count stored in a checkpoint of this job. */
    static long checkpointCount(byte[] state) {
        return ByteBuffer.wrap(state).getLong();
    }

    /** One step of the checksum (SplitMix64 of the previous value, the seed and the step). */
    static long step(long checksum, long seed, long i) {
        long z = checksum ^ (seed + (i + 1) * 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The checksum of an uninterrupted count to {@code target}. */
    static String expectedChecksum(long seed, long target) {
        long checksum = 0;
        for (long i = 0; i < target; i++) {
            checksum = step(checksum, seed, i);
        }
        return Long.toHexString(checksum);
    }
}
