package org.cvdplanner;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * cvd-planner: stores MoS2 CVD synthesis profiles, learns NADE-CVD from them, trains a
 * REINFORCE agent against it and serves optimised synthesis schedules.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class CvdPlannerApplication {

    public static void main(String[] args) {
        SpringApplication.run(CvdPlannerApplication.class, args);
    }
}
