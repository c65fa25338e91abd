package org.cvdplanner.capacity;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import tools.jackson.databind.ObjectMapper;

/**
 * The request limits as servlet filters, in order: the body cap first (before anything reads a
 * body); admission (API requests and uploads at once) and then the CPU-work turns after access
 * control and the idempotency filter, so a refused key never takes a place and retries of a
 * request with the same Idempotency-Key wait for its first answer instead of taking places of
 * their own (32 concurrent retries of one upload would otherwise be refused 503 but for 4). A configuration rather than components, so web slice
 * tests (@WebMvcTest) keep out of them.
 */
@Configuration(proxyBeanMethods = false)
class CapacityConfiguration {

    @Bean
    FilterRegistrationBean<AdmissionFilter> admissionFilter(CapacityProperties properties, ObjectMapper mapper) {
        return registration(new AdmissionFilter(properties, mapper), Ordered.LOWEST_PRECEDENCE - 7);
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
