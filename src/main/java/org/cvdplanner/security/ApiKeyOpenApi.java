package org.cvdplanner.security;

import java.util.List;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

/**
 * Shows the keys in the OpenAPI document: two security schemes (so Swagger UI's "Authorize"
 * button can hold a key) and, on each operation, the scope it needs.
 */
@Configuration(proxyBeanMethods = false)
class ApiKeyOpenApi {

    static final String BEARER = "bearerKey";
    static final String HEADER = "apiKeyHeader";

    @Bean
    OpenApiCustomizer apiKeySecuritySchemes(SecurityProperties properties) {
        return openApi -> {
            if (!properties.enabled()) {
                return;
            }
            Components components = openApi.getComponents() == null ? new Components() : openApi.getComponents();
            components.addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                    .description("An API key as a bearer token: 'Authorization: Bearer cvdp_...'"));
            components.addSecuritySchemes(HEADER, new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                    .in(SecurityScheme.In.HEADER).name(ApiKeyAuthenticationFilter.API_KEY_HEADER)
                    .description("The same key in the X-API-Key header"));
            openApi.setComponents(components);
            if (openApi.getPaths() == null) {
                return;
            }
            openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) ->
                    describe(HttpMethod.valueOf(method.name()), concrete(path), operation)));
        };
    }

    private static void describe(HttpMethod method, String path, Operation operation) {
        var rule = EndpointScopes.ruleFor(method, path);
        if (rule.isPresent() && rule.get().open()) {
            operation.setSecurity(List.of());
            return;
        }
        String scope = rule.map(r -> r.scope().value()).orElse("any");
        // either scheme works; the scope is named for people and for clients that read extensions
        operation.setSecurity(List.of(new SecurityRequirement().addList(BEARER, scope),
                new SecurityRequirement().addList(HEADER, scope)));
        operation.addExtension("x-required-scope", scope);
        String note = "Needs an API key with scope `" + scope + "` (or `admin`).";
        operation.setDescription(operation.getDescription() == null ? note : operation.getDescription() + "\n\n" + note);
    }

    /** A path template with its variables filled in, so it can be matched like a request path. */
    static String concrete(String template) {
        return template.replaceAll("\\{[^}/]+}", "x");
    }

}
