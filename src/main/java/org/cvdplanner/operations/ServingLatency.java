package org.cvdplanner.operations;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Latency histograms of the calls that run a model for a caller: NADE predictions
 * ({@code cvdplanner.nade.predictions}) and agent proposals ({@code cvdplanner.agent.proposals}),
 * with fixed buckets so that Prometheus can compute quantiles across replicas. Measured from
 * the handler's start to the response's completion, by outcome (success, client_error,
 * server_error). Kept here rather than in the features: they stay free of metrics code.
 */
@Component
class ServingLatency implements WebMvcConfigurer, HandlerInterceptor {

    private static final String STARTED = ServingLatency.class.getName() + ".started";

    /** One timed endpoint: its method and route pattern, the meter and its buckets. */
    record Served(String method, String pattern, String meter, String description, List<Duration> buckets) {
    }

    static final List<Served> SERVED = List.of(
            new Served("POST", "/api/v1/models/{id}/predictions", "cvdplanner.nade.predictions",
                    "Latency of NADE prediction requests", millis(5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000)),
            new Served("POST", "/api/v1/agents/{id}/proposals", "cvdplanner.agent.proposals",
                    "Latency of proposal requests", millis(50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 120000, 300000)));

    private final ObjectProvider<MeterRegistry> registries;
    private MeterRegistry registry;

    // a provider: web slices (@WebMvcTest) pick up this configurer but have no meter registry
    ServingLatency(ObjectProvider<MeterRegistry> registries) {
        this.registries = registries;
    }

    @Override
    public void addInterceptors(InterceptorRegistry interceptors) {
        registry = registries.getIfAvailable();
        if (registry == null) {
            return;
        }
        interceptors.addInterceptor(this).addPathPatterns("/api/v1/models/*/predictions", "/api/v1/agents/*/proposals");
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        request.setAttribute(STARTED, System.nanoTime());
        return true;
    }

    @Override
    public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler, Exception ex) {
        Object started = request.getAttribute(STARTED);
        Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        if (!(started instanceof Long start) || pattern == null) {
            return;
        }
        for (Served served : SERVED) {
            if (served.method().equals(request.getMethod()) && served.pattern().equals(pattern.toString())) {
                Timer.builder(served.meter()).description(served.description())
                        .tag("outcome", outcome(ex == null ? response.getStatus() : 500))
                        .serviceLevelObjectives(served.buckets().toArray(Duration[]::new))
                        .register(registry)
                        .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                return;
            }
        }
    }

    private static String outcome(int status) {
        if (status >= 500) {
            return "server_error";
        }
        return status >= 400 ? "client_error" : "success";
    }

    private static List<Duration> millis(long... values) {
        return java.util.Arrays.stream(values).mapToObj(Duration::ofMillis).toList();
    }
}
