package org.cvdplanner.security;

import java.io.IOException;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads the key from {@code Authorization: Bearer <key>} or {@code X-API-Key}. No key: the
 * request goes on anonymous (open endpoints answer, the rest 401). A key that is unknown,
 * revoked or expired: 401 at once, naming the header, whatever the endpoint.
 */
final class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

    static final String API_KEY_HEADER = "X-API-Key";

    private final ApiKeys keys;
    private final ProblemResponses problems;
    private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

    ApiKeyAuthenticationFilter(ApiKeys keys, ProblemResponses problems) {
        this.keys = keys;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = HttpHeaders.AUTHORIZATION;
        String presented = bearer(request.getHeader(HttpHeaders.AUTHORIZATION));
        if (presented == null) {
            header = API_KEY_HEADER;
            presented = blankToNull(request.getHeader(API_KEY_HEADER));
        }
        if (presented == null) {
            chain.doFilter(request, response);
            return;
        }
        ApiKeys.Check check = keys.check(presented);
        if (!(check instanceof ApiKeys.Valid valid)) {
            problems.write(response, HttpStatus.UNAUTHORIZED, "invalid-api-key", "Invalid API key",
                    ((ApiKeys.Refused) check).reason(), Map.of("field", header));
            return;
        }
        SecurityContext context = contexts.createEmptyContext();
        context.setAuthentication(new ApiKeyAuthentication(valid.key()));
        contexts.setContext(context);
        chain.doFilter(request, response);
    }

    private static String bearer(String authorization) {
        if (authorization == null || authorization.length() < 7
                || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return blankToNull(authorization.substring(7).trim());
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
