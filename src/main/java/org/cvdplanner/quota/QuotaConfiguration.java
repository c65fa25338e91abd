package org.cvdplanner.quota;

import java.time.Duration;

import org.cvdplanner.job.ActiveJobCap;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import tools.jackson.databind.ObjectMapper;

/**
 * The request-rate filter, after Spring Security (it needs the caller's key) and before the
 * idempotency and admission filters (so every request counts, a replay too, and a refused one
 * takes no place); and the jobs cap the job service checks at submission. A configuration rather
 * than components, so web slice tests (@WebMvcTest) keep out of them.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "cvd-planner.quotas.enabled", matchIfMissing = true)
class QuotaConfiguration {

    @Bean
    FilterRegistrationBean<RequestRateFilter> requestRateFilter(QuotaProperties properties, ObjectMapper mapper) {
        FilterRegistrationBean<RequestRateFilter> registration = new FilterRegistrationBean<>(
                new RequestRateFilter(properties, mapper));
        registration.addUrlPatterns("/api/*");
        registration.setOrder(Ordered.LOWEST_PRECEDENCE - 20);
        return registration;
    }

    @Bean
    ActiveJobCap activeJobCap(QuotaProperties properties) {
        return new ActiveJobCap() {
            @Override
            public int maxActiveJobs() {
                return properties.maxActiveJobs();
            }

            @Override
            public Duration retryAfter() {
                return properties.jobsRetryAfter();
            }
        };
    }
}
