package org.cvdplanner.capacity;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import tools.jackson.databind.ObjectMapper;

/**
 * The request limits as servlet filters, in order: admission first (cheapest refusal), then
 * the body cap, then the CPU-work turns. A configuration rather than components, so web slice
 * tests (@WebMvcTest) keep out of them.
 */
@Configuration(proxyBeanMethods = false)
class CapacityConfiguration {

    @Bean
    FilterRegistrationBean<AdmissionFilter> admissionFilter(CapacityProperties properties, ObjectMapper mapper) {
        return registration(new AdmissionFilter(properties, mapper), Ordered.HIGHEST_PRECEDENCE + 10);
    }

    @Bean
    FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(CapacityProperties properties, ObjectMapper mapper) {
        return registration(new RequestBodyLimitFilter(properties, mapper), Ordered.HIGHEST_PRECEDENCE + 11);
    }

    @Bean
    FilterRegistrationBean<CpuWorkFilter> cpuWorkFilter(CapacityProperties properties, ObjectMapper mapper) {
        return registration(new CpuWorkFilter(properties, mapper), Ordered.HIGHEST_PRECEDENCE + 12);
    }

    private static <F extends jakarta.servlet.Filter> FilterRegistrationBean<F> registration(F filter, int order) {
        FilterRegistrationBean<F> registration = new FilterRegistrationBean<>(filter);
        registration.setOrder(order);
        return registration;
    }
}
