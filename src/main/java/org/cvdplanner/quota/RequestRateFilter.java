package org.cvdplanner.quota;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.cvdplanner.security.Callers;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.ObjectMapper;

/**
 * One token bucket per API key and instance: each API request takes a token; an empty bucket
 * is 429 with Retry-After (seconds until the next token). Runs after access control, which
 * tells whose key it is; requests without a key (security off) are not counted. Buckets live
 * in memory: there are as many as keys that called, and keys are few and made by an admin.
 */
class RequestRateFilter extends OncePerRequestFilter {

    static final String REMAINING_HEADER = "X-RateLimit-Remaining";

    private final Map<UUID, Bucket> buckets = new ConcurrentHashMap<>();
    private final QuotaProperties properties;
    private final ObjectMapper mapper;

    RequestRateFilter(QuotaProperties properties, ObjectMapper mapper) {
        this.properties = properties;
        this.mapper = mapper;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !properties.enabled() || !request.getRequestURI().startsWith(request.getContextPath() + "/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        UUID key = Callers.currentApiKeyId().orElse(null);
        if (key == null) {
            chain.doFilter(request, response);
            return;
        }
        ConsumptionProbe probe = buckets.computeIfAbsent(key, k -> newBucket()).tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            response.setHeader(REMAINING_HEADER, Long.toString(probe.getRemainingTokens()));
            chain.doFilter(request, response);
            return;
        }
        long retryAfter = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS, "this API key made more than "
                + properties.requestsPerMinute() + " requests in the last minute; retry after " + retryAfter + " s");
        problem.setType(URI.create("https://cvd-planner.org/problems/rate-limited"));
        problem.setTitle("Too many requests");
        problem.setProperty("limit", properties.requestsPerMinute());
        problem.setProperty("period", "PT1M");
        response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
        response.setHeader(REMAINING_HEADER, "0");
        mapper.writeValue(response.getOutputStream(), problem);
    }

    private Bucket newBucket() {
        long perMinute = properties.requestsPerMinute();
        return Bucket.builder().addLimit(Bandwidth.builder().capacity(perMinute)
                .refillGreedy(perMinute, Duration.ofMinutes(1)).build()).build();
    }
}
