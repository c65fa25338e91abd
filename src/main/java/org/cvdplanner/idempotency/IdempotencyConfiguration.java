package org.cvdplanner.idempotency;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import tools.jackson.databind.json.JsonMapper;

/**
 * Registers the filter after Spring Security (it needs the caller's API key to scope keys) and
 * deletes expired keys.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class IdempotencyConfiguration {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyConfiguration.class);

    @Bean
    FilterRegistrationBean<IdempotencyFilter> idempotencyFilter(IdempotencyRecords records,
            IdempotencyProperties properties, JsonMapper json) {
        FilterRegistrationBean<IdempotencyFilter> registration = new FilterRegistrationBean<>(
                new IdempotencyFilter(records, properties, json));
        registration.addUrlPatterns("/api/*");
        registration.setOrder(Ordered.LOWEST_PRECEDENCE - 10);
        return registration;
    }

    @Bean
    ExpiredKeys expiredIdempotencyKeys(IdempotencyRecords records) {
        return new ExpiredKeys(records);
    }

    /** Deletes keys past their retention, on every instance (a delete twice is harmless). */
    static final class ExpiredKeys {

        private final IdempotencyRecords records;

        ExpiredKeys(IdempotencyRecords records) {
            this.records = records;
        }

        @Scheduled(fixedDelayString = "${cvd-planner.idempotency.cleanup-interval:10m}",
                initialDelayString = "${cvd-planner.idempotency.cleanup-interval:10m}")
        int deleteExpired() {
            int deleted = records.deleteExpired();
            if (deleted > 0) {
                log.info("deleted {} expired idempotency keys", deleted);
            }
            return deleted;
        }
    }
}
