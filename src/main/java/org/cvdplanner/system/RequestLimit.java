package org.cvdplanner.system;

/**
 * A bound that a service checks on one field of a request (a JSON body property or a query
 * parameter), shown in the OpenAPI document as {@code minimum}/{@code maximum} (or
 * {@code minItems}/{@code maxItems} for an array). Most such bounds are settings, so Bean
 * Validation annotations cannot carry them; features list them as {@link RequestLimits}.
 *
 * @param method HTTP method, e.g. {@code POST}
 * @param path the path template as in the document, e.g. {@code /api/v1/agents/{id}/proposals}
 * @param field the body property or query parameter
 * @param minimum the least value (inclusive), or null
 * @param maximum the largest value (inclusive), or null
 */
public record RequestLimit(String method, String path, String field, Number minimum, Number maximum) {
}
