package org.cvdplanner;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

/** Fails when one feature reaches into another's internals or features depend in a cycle. */
class ModularityTests {

    @Test
    void featureModulesRespectTheirBoundaries() {
        ApplicationModules.of(CvdPlannerApplication.class).verify();
    }
}
