package org.cvdplanner.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.cvdplanner.TestDatabaseConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * The service as deployed: access control on, an admin key from configuration, one CORS origin.
 * The one shared context of the tests that need keys (the others use {@link ServiceTest}, with
 * access control off); its job engine polls a queue of its own.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "cvd-planner.security.enabled=true",
        "cvd-planner.security.bootstrap-admin-key=" + SecuredServiceTest.ADMIN_KEY,
        "cvd-planner.security.cors-allowed-origins=https://lims.example.org",
        "cvd-planner.jobs.queue=secured-tests",
        "cvd-planner.jobs.instance-name=secured-tests"})
@Import(TestDatabaseConfiguration.class)
public @interface SecuredServiceTest {

    String ADMIN_KEY = "test-bootstrap-admin-key-0123456789abcdef";
}
