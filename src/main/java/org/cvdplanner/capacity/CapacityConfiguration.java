package org.cvdplanner.capacity;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import tools.jackson.databind.ObjectMapper;

/**
 * The request limits as servlet filters, in order: admission first (cheapest refusal), then
 * the body cap; the CPU-work turns come last, after access control and the idempotency filter,
 * so a refused key never queues for a turn and retries of a request with the same
 * Idempotency-Key wait for its first answer instead of taking turns of their own. A configuration rather than components, so web slice
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
        return registration(new CpuWorkFilter(properties, mapper), Ordered.LOWEST_PRECEDENCE - 5);
    }

    private static <F extends jakarta.servlet.Filter> FilterRegistrationBean<F> registration(F filter, int order) {
        FilterRegistrationBean<F> registration = new FilterRegistrationBean<>(filter);
        registration.setOrder(order);
        return registration;
    }
}
