package org.cvdplanner.system;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** What Swagger UI shows about the service, and a front door that leads there. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    @Bean
    OpenAPI cvdPlannerOpenApi() {
        return new OpenAPI().info(new Info()
                .title("cvd-planner")
                .version("v1")
                .description("Learns how to grow monolayer MoS2 by chemical vapour deposition: synthesis profiles, "
                        + "the NADE-CVD dynamics model, a REINFORCE agent and optimised temperature and S2/H2/H2S "
                        + "schedules with predicted 2H/1T phase trajectories. Errors are RFC 9457 problem details.")
                .license(new License().name("Proprietary")));
    }

    @Controller
    static class FrontDoor {
        @GetMapping("/")
        String root() {
            return "redirect:/swagger-ui.html";
        }
    }
}
