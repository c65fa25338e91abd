package org.cvdplanner.capacity;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.ObjectMapper;

/**
 * Admits at most {@code maxApiRequests} API requests at once, of them at most
 * {@code maxUploads} profile uploads (each holds a database connection while its body streams
 * in); the rest are answered 503 with Retry-After at once instead of taking a servlet thread
 * to wait for a database connection. So a burst of clients cannot take every thread: health
 * probes (not under /api) always find one.
 */
class AdmissionFilter extends OncePerRequestFilter {

    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger uploads = new AtomicInteger();
    private final CapacityProperties properties;
    private final ObjectMapper mapper;

    AdmissionFilter(CapacityProperties properties, ObjectMapper mapper) {
        this.properties = properties;
        this.mapper = mapper;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith(request.getContextPath() + "/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean upload = RequestBodyLimitFilter.isUpload(request);
        if (inFlight.incrementAndGet() > properties.maxApiRequests()) {
            inFlight.decrementAndGet();
            busy(response, properties.maxApiRequests() + " requests");
            return;
        }
        try {
            if (upload && uploads.incrementAndGet() > properties.maxUploads()) {
                uploads.decrementAndGet();
                busy(response, properties.maxUploads() + " uploads");
                return;
            }
            try {
                chain.doFilter(request, response);
            } finally {
                if (upload) {
                    uploads.decrementAndGet();
                }
            }
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void busy(HttpServletResponse response, String what) throws IOException {
        ProblemResponses.write(response, mapper, HttpStatus.SERVICE_UNAVAILABLE, "busy", "Busy",
                "this instance is already serving " + what + "; retry shortly", 1);
    }
}
