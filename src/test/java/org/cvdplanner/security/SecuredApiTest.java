package org.cvdplanner.security;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.cvdplanner.TestDatabaseConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/** The service as deployed: security on, an admin key from configuration, one CORS origin. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "cvd-planner.security.enabled=true",
        "cvd-planner.security.bootstrap-admin-key=" + SecuredApiTest.ADMIN_KEY,
        "cvd-planner.security.cors-allowed-origins=https://lims.example.org"})
@Import(TestDatabaseConfiguration.class)
@interface SecuredApiTest {

    String ADMIN_KEY = "test-bootstrap-admin-key-0123456789abcdef";
}
