package org.cvdplanner.simulation;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.cvdplanner.TestDatabaseConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * The one Spring context of the simulator's service tests (cached across their classes): a real
 * server on a random port and real PostgreSQL, its own job queue, short intervals, and small
 * campaign chunks so a few hundred profiles already span several chunks and checkpoints.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "cvd-planner.jobs.queue=simulation-tests",
        "cvd-planner.jobs.instance-name=simulation-tests",
        "cvd-planner.jobs.polling-interval=200ms",
        "cvd-planner.jobs.heartbeat-interval=1s",
        "cvd-planner.jobs.missed-heartbeats=4",
        "cvd-planner.jobs.cancel-check-interval=100ms",
        "cvd-planner.jobs.progress-write-interval=100ms",
        "cvd-planner.simulation.chunk-size=" + SimulationServiceTest.CHUNK,
        "cvd-planner.simulation.max-runs-per-request=5000"})
@Import(TestDatabaseConfiguration.class)
@interface SimulationServiceTest {

    int CHUNK = 100;
}
