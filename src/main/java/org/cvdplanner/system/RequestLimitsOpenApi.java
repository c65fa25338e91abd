package org.cvdplanner.system;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

/**
 * Writes the configured {@link RequestLimits} into the OpenAPI document, so that clients read
 * the bounds the services enforce (and their 422 answers) before they send a request.
 */
@Component
class RequestLimitsOpenApi implements OpenApiCustomizer {

    private final List<RequestLimits> features;

    RequestLimitsOpenApi(List<RequestLimits> features) {
        this.features = features;
    }

    @Override
    public void customise(OpenAPI openApi) {
        if (openApi.getPaths() == null) {
            return;
        }
        for (RequestLimits feature : features) {
            for (RequestLimit limit : feature.requestLimits()) {
                PathItem item = openApi.getPaths().get(limit.path());
                Operation operation = item == null ? null
                        : item.readOperationsMap().get(PathItem.HttpMethod.valueOf(limit.method()));
                if (operation != null) {
                    apply(openApi, operation, limit);
                }
            }
        }
    }

    @SuppressWarnings("rawtypes")
    private static void apply(OpenAPI openApi, Operation operation, RequestLimit limit) {
        if (operation.getParameters() != null) {
            for (Parameter parameter : operation.getParameters()) {
                if (limit.field().equals(parameter.getName()) && parameter.getSchema() != null) {
                    bound(parameter.getSchema(), limit);
                    return;
                }
            }
        }
        if (operation.getRequestBody() == null || operation.getRequestBody().getContent() == null) {
            return;
        }
        for (MediaType media : operation.getRequestBody().getContent().values()) {
            Schema body = resolve(openApi, media.getSchema());
            if (body != null && body.getProperties() != null) {
                Schema property = (Schema) ((Map) body.getProperties()).get(limit.field());
                if (property != null) {
                    bound(property, limit);
                }
            }
        }
    }

    @SuppressWarnings("rawtypes")
    private static Schema resolve(OpenAPI openApi, Schema schema) {
        if (schema == null || schema.get$ref() == null || openApi.getComponents() == null
                || openApi.getComponents().getSchemas() == null) {
            return schema;
        }
        String ref = schema.get$ref();
        return openApi.getComponents().getSchemas().get(ref.substring(ref.lastIndexOf('/') + 1));
    }

    @SuppressWarnings("rawtypes")
    private static void bound(Schema schema, RequestLimit limit) {
        boolean array = "array".equals(schema.getType()) || schema.getTypes() != null && schema.getTypes().contains("array");
        if (array) {
            if (limit.minimum() != null) {
                schema.setMinItems(limit.minimum().intValue());
            }
            if (limit.maximum() != null) {
                schema.setMaxItems(limit.maximum().intValue());
            }
            return;
        }
        if (limit.minimum() != null) {
            schema.setMinimum(new BigDecimal(limit.minimum().toString()));
        }
        if (limit.maximum() != null) {
            schema.setMaximum(new BigDecimal(limit.maximum().toString()));
        }
    }
}
