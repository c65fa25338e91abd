package org.cvdplanner.system;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * Base of every domain error that reaches HTTP: carries its status, a stable problem type and
 * the properties (field, profile, step, ...) that make it actionable. Rendered as an RFC 9457
 * problem detail by {@link ProblemDetailsAdvice}.
 */
public class ApiProblemException extends RuntimeException {

    private final HttpStatus status;
    private final String type;
    private final String title;
    private final Map<String, Object> properties = new LinkedHashMap<>();
    private Integer retryAfterSeconds;

    public ApiProblemException(HttpStatus status, String type, String title, String detail) {
        super(detail);
        this.status = status;
        this.type = type;
        this.title = title;
    }

    /** Adds a property (e.g. "field", "profile", "step") to the problem detail. */
    public ApiProblemException with(String name, Object value) {
        if (value != null) {
            properties.put(name, value);
        }
        return this;
    }

    /** Sends {@code Retry-After} with the problem (429, 503). */
    public ApiProblemException retryAfter(int seconds) {
        this.retryAfterSeconds = seconds;
        return this;
    }

    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public HttpStatus status() {
        return status;
    }

    public Map<String, Object> properties() {
        return Map.copyOf(properties);
    }

    public ProblemDetail toProblemDetail() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, getMessage());
        problem.setType(URI.create("https://cvd-planner.org/problems/" + type));
        problem.setTitle(title);
        properties.forEach(problem::setProperty);
        return problem;
    }
}
