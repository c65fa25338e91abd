package org.cvdplanner.job;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.cvdplanner.TestDatabaseConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * The one Spring context of the job tests (cached across the classes that use it): a real
 * server on a random port, its own queue (so no other cached context runs these jobs), and
 * short intervals so tests are quick.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "cvd-planner.jobs.queue=" + JobTestSupport.QUEUE,
        "cvd-planner.jobs.instance-name=tests-a",
        "cvd-planner.jobs.polling-interval=200ms",
        "cvd-planner.jobs.heartbeat-interval=1s",
        "cvd-planner.jobs.missed-heartbeats=4",
        "cvd-planner.jobs.cancel-check-interval=200ms",
        "cvd-planner.jobs.progress-write-interval=100ms",
        "cvd-planner.jobs.event-poll-interval=100ms",
        "cvd-planner.jobs.shutdown-wait=10s"})
@Import({TestDatabaseConfiguration.class, RecordingTestJob.Configuration.class, FlakyDatabaseTestJob.Configuration.class})
@interface JobEngineTest {
}
