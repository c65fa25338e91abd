package org.cvdplanner.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.cvdplanner.TestDatabaseConfiguration;
import org.cvdplanner.job.FlakyDatabaseTestJob;
import org.cvdplanner.job.RecordingTestJob;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * The one full application most tests share: the service on a random port against the test
 * database, access control off, short job-engine intervals so tests are quick, small agent
 * baselines and simulation chunks of {@value #CHUNK} profiles so a few hundred profiles already
 * span several chunks and checkpoints. Every test class with exactly this configuration reuses
 * one Spring context (and one job engine); a test that adds properties, imports or bean overrides
 * starts a context of its own, so add one only where the test cannot work without it.
 *
 * <p>Cached contexts are never paused ({@code spring.test.context.cache.pause=never} in
 * {@code spring.properties}): a paused context would stop its job engine, which does not start
 * again. Each context therefore polls a queue of its own.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "cvd-planner.jobs.queue=" + ServiceTest.QUEUE,
        "cvd-planner.jobs.instance-name=" + ServiceTest.INSTANCE,
        "cvd-planner.jobs.polling-interval=200ms",
        "cvd-planner.jobs.heartbeat-interval=1s",
        "cvd-planner.jobs.missed-heartbeats=4",
        "cvd-planner.jobs.cancel-check-interval=100ms",
        "cvd-planner.jobs.progress-write-interval=100ms",
        "cvd-planner.jobs.event-poll-interval=100ms",
        "cvd-planner.jobs.shutdown-wait=10s",
        "cvd-planner.profiles.max-upload-size=2MB",
        "cvd-planner.simulation.chunk-size=" + ServiceTest.CHUNK,
        "cvd-planner.simulation.max-runs-per-request=5000",
        "cvd-planner.nade.evaluation-rollouts=8",
        "cvd-planner.agent.checkpoint-interval=0s",
        "cvd-planner.agent.baseline-random-walks=40",
        "cvd-planner.agent.baseline-agent-proposals=8",
        "cvd-planner.agent.baseline-rollouts=4",
        "cvd-planner.agent.baseline-simulator-replicas=2"})
@Import({TestDatabaseConfiguration.class, RecordingTestJob.Configuration.class, FlakyDatabaseTestJob.Configuration.class})
public @interface ServiceTest {

    String QUEUE = "service-tests";
    String INSTANCE = "tests-a";
    int CHUNK = 100;
}
