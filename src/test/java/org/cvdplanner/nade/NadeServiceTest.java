package org.cvdplanner.nade;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.cvdplanner.TestDatabaseConfiguration;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The Spring context of the NADE service tests: a real server and PostgreSQL, its own job queue
 * (no other cached context runs these jobs), short engine intervals and few evaluation rollouts.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "cvd-planner.jobs.queue=nade-tests",
        "cvd-planner.jobs.instance-name=nade-tests",
        "cvd-planner.jobs.polling-interval=200ms",
        "cvd-planner.jobs.cancel-check-interval=200ms",
        "cvd-planner.jobs.progress-write-interval=100ms",
        "cvd-planner.nade.evaluation-rollouts=8"})
@org.springframework.context.annotation.Import(TestDatabaseConfiguration.class)
@interface NadeServiceTest {
}
