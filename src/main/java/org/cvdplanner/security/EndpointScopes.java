package org.cvdplanner.security;

import java.util.List;
import java.util.Optional;

import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * The one table of who may call what: the filter chain is built from it, the OpenAPI document
 * shows it per operation and a 403 names the scope from it. First matching rule wins; a request
 * no rule matches needs any valid key.
 */
final class EndpointScopes {

    /** A rule: method (null = any), path pattern, and the scope it needs (null = open to all). */
    record Rule(HttpMethod method, String pattern, Scope scope) {

        boolean open() {
            return scope == null;
        }

        boolean matches(HttpMethod requestMethod, String path) {
            return (method == null || method.equals(requestMethod))
                    && PATTERNS.parse(pattern).matches(PathContainer.parsePath(path));
        }
    }

    private static final PathPatternParser PATTERNS = PathPatternParser.defaultInstance;

    static final List<Rule> RULES = List.of(
            // open: liveness / readiness, the API's documentation, the dashboard page (it asks for a key)
            open(HttpMethod.GET, "/actuator/health"), open(HttpMethod.GET, "/actuator/health/**"),
            open(HttpMethod.GET, "/v3/api-docs"), open(HttpMethod.GET, "/v3/api-docs/**"),
            open(HttpMethod.GET, "/swagger-ui.html"), open(HttpMethod.GET, "/swagger-ui/**"),
            open(HttpMethod.GET, "/"), open(HttpMethod.GET, "/dashboard.html"), open(HttpMethod.GET, "/favicon.ico"),
            // the dashboard's script, styles and charting library (static files, no data)
            open(HttpMethod.GET, "/dashboard/**"), open(HttpMethod.GET, "/webjars/**"),
            // errors are rendered on an internal dispatch; the original request was checked already
            open(null, "/error"),
            // keys and webhooks: admin only
            rule(null, "/api/v1/api-keys", Scope.ADMIN), rule(null, "/api/v1/api-keys/**", Scope.ADMIN),
            rule(null, "/api/v1/webhooks", Scope.ADMIN), rule(null, "/api/v1/webhooks/**", Scope.ADMIN),
            rule(null, "/actuator/**", Scope.READ),
            // jobs and the default model
            rule(HttpMethod.POST, "/api/v1/jobs/*/cancel", Scope.TRAIN),
            rule(HttpMethod.POST, "/api/v1/jobs/*", Scope.TRAIN),
            rule(HttpMethod.POST, "/api/v1/datasets/*/simulations", Scope.TRAIN),
            rule(HttpMethod.PUT, "/api/v1/models/*/default", Scope.TRAIN),
            // computations that store nothing
            rule(HttpMethod.POST, "/api/v1/models/*/predictions", Scope.READ),
            rule(HttpMethod.POST, "/api/v1/simulations/runs", Scope.READ),
            rule(HttpMethod.GET, "/api/v1/**", Scope.READ),
            rule(HttpMethod.POST, "/api/v1/**", Scope.WRITE), rule(HttpMethod.PUT, "/api/v1/**", Scope.WRITE),
            rule(HttpMethod.PATCH, "/api/v1/**", Scope.WRITE), rule(HttpMethod.DELETE, "/api/v1/**", Scope.WRITE));

    private EndpointScopes() {
    }

    private static Rule open(HttpMethod method, String pattern) {
        return new Rule(method, pattern, null);
    }

    private static Rule rule(HttpMethod method, String pattern, Scope scope) {
        return new Rule(method, pattern, scope);
    }

    /** The rule that governs a request (or an OpenAPI operation, with path variables filled in). */
    static Optional<Rule> ruleFor(HttpMethod method, String path) {
        return RULES.stream().filter(r -> r.matches(method, path)).findFirst();
    }
}
