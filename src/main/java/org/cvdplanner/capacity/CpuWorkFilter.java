package org.cvdplanner.capacity;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.util.AntPathMatcher;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.ObjectMapper;

/**
 * Serves at most {@code cpuWorkConcurrency} CPU-heavy synchronous requests at once (each may
 * run several threads of its own), lets {@code cpuWorkQueue} more wait up to
 * {@code cpuWorkWait}, and answers the rest 503 with Retry-After at once. Everything else
 * (health probes, reads, job submissions) keeps its servlet threads.
 */
class CpuWorkFilter extends OncePerRequestFilter {

    private final Semaphore turns;
    private final AtomicInteger waiting = new AtomicInteger();
    private final CapacityProperties properties;
    private final ObjectMapper mapper;
    private final AntPathMatcher matcher = new AntPathMatcher();
    private final List<String[]> routes;

    CpuWorkFilter(CapacityProperties properties, ObjectMapper mapper) {
        this.properties = properties;
        this.mapper = mapper;
        this.turns = new Semaphore(properties.effectiveCpuWorkConcurrency(), true);
        this.routes = properties.cpuWorkRoutes().stream().map(r -> r.trim().split("\\s+", 2)).toList();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        for (String[] route : routes) {
            if (route.length == 2 && route[0].equalsIgnoreCase(request.getMethod()) && matcher.match(route[1], path)) {
                return false;
            }
        }
        return true;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!acquire()) {
            ProblemResponses.write(response, mapper, HttpStatus.SERVICE_UNAVAILABLE, "busy", "Busy",
                    "this instance is already computing " + properties.effectiveCpuWorkConcurrency()
                            + " simulation/proposal/prediction request(s) with more waiting; retry shortly", 2);
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            turns.release();
        }
    }

    private boolean acquire() {
        if (turns.tryAcquire()) {
            return true;
        }
        if (waiting.incrementAndGet() > properties.cpuWorkQueue()) {
            waiting.decrementAndGet();
            return false;
        }
        try {
            return turns.tryAcquire(properties.cpuWorkWait().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            waiting.decrementAndGet();
        }
    }

    /** Requests being computed now (for tests and metrics). */
    int inProgress() {
        return properties.effectiveCpuWorkConcurrency() - turns.availablePermits();
    }
}
