package org.cvdplanner.security;

import java.util.List;
import java.util.Map;

import jakarta.servlet.DispatcherType;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * Spring Security for an API called by machines and by pages that hold a key: stateless, no
 * cookies, no CSRF, no login form; every request but the open ones needs a key with the scope
 * that {@link EndpointScopes} names.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
class SecurityConfiguration {

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, SecurityProperties properties, ApiKeys keys,
            ProblemResponses problems) throws Exception {
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .requestCache(cache -> cache.disable())
                .cors(Customizer.withDefaults());
        if (!properties.enabled()) {
            return http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll()).build();
        }
        http.addFilterBefore(new ApiKeyAuthenticationFilter(keys, problems), AuthorizationFilter.class);
        http.authorizeHttpRequests(requests -> {
            // the original request was authorised; its async (SSE) and error dispatches need no second check
            requests.dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR).permitAll();
            for (EndpointScopes.Rule rule : EndpointScopes.RULES) {
                var matched = rule.method() == null ? requests.requestMatchers(rule.pattern())
                        : requests.requestMatchers(rule.method(), rule.pattern());
                if (rule.open()) {
                    matched.permitAll();
                } else {
                    matched.hasAuthority(rule.scope().authority());
                }
            }
            requests.anyRequest().authenticated();
        });
        http.exceptionHandling(errors -> errors
                .authenticationEntryPoint((request, response, e) -> problems.write(response, HttpStatus.UNAUTHORIZED,
                        "missing-api-key", "API key required",
                        "this endpoint needs an API key: send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'",
                        Map.of("field", HttpHeaders.AUTHORIZATION)))
                .accessDeniedHandler((request, response, e) -> {
                    String needed = EndpointScopes.ruleFor(HttpMethod.valueOf(request.getMethod()), request.getRequestURI())
                            .filter(rule -> !rule.open()).map(rule -> rule.scope().value()).orElse("?");
                    problems.write(response, HttpStatus.FORBIDDEN, "missing-scope", "Scope missing",
                            "this endpoint needs an API key with the '" + needed + "' scope (or 'admin')",
                            Map.of("requiredScope", needed, "field", HttpHeaders.AUTHORIZATION));
                }));
        return http.build();
    }

    /** Cross-origin browser calls only from the configured origins; keys travel in headers, never cookies. */
    @Bean
    CorsConfigurationSource corsConfigurationSource(SecurityProperties properties) {
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        if (!properties.corsAllowedOrigins().isEmpty()) {
            CorsConfiguration cors = new CorsConfiguration();
            cors.setAllowedOrigins(properties.corsAllowedOrigins());
            cors.setAllowedMethods(List.of("GET", "POST", "PUT", "DELETE", "PATCH"));
            cors.setAllowedHeaders(List.of(HttpHeaders.AUTHORIZATION, ApiKeyAuthenticationFilter.API_KEY_HEADER,
                    HttpHeaders.CONTENT_TYPE, "Idempotency-Key", "Last-Event-ID"));
            cors.setExposedHeaders(List.of(HttpHeaders.LOCATION, HttpHeaders.RETRY_AFTER, "Idempotent-Replayed"));
            cors.setAllowCredentials(false);
            cors.setMaxAge(3600L);
            source.registerCorsConfiguration("/api/**", cors);
            source.registerCorsConfiguration("/actuator/**", cors);
        }
        return source;
    }
}
