package org.cvdplanner.system;

import java.net.URI;
import java.util.List;
import java.util.Map;

import java.sql.Connection;

import javax.sql.DataSource;

import jakarta.validation.ConstraintViolationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * One place that turns errors into RFC 9457 problem details. Bad input is always a 4xx naming
 * the field; only genuine faults of the service are 500, and those never leak a stack trace.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);
    static final int DATABASE_RETRY_AFTER_SECONDS = 5;

    private final ObjectProvider<DataSource> dataSources;

    ProblemDetailsAdvice(ObjectProvider<DataSource> dataSources) {
        this.dataSources = dataSources;
    }

    @ExceptionHandler(ApiProblemException.class)
    ResponseEntity<ProblemDetail> apiProblem(ApiProblemException e) {
        ResponseEntity.BodyBuilder response = ResponseEntity.status(e.status());
        if (e.retryAfterSeconds() != null) {
            response.header(HttpHeaders.RETRY_AFTER, String.valueOf(e.retryAfterSeconds()));
        }
        return response.body(e.toProblemDetail());
    }

    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<ProblemDetail> constraintViolation(ConstraintViolationException e) {
        List<Map<String, Object>> errors = e.getConstraintViolations().stream()
                .map(v -> Map.<String, Object>of("field", String.valueOf(v.getPropertyPath()), "reason", v.getMessage()))
                .toList();
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
                errors.isEmpty() ? e.getMessage() : errors.get(0).get("field") + ": " + errors.get(0).get("reason"));
        problem.setProperty("errors", errors);
        if (!errors.isEmpty()) {
            problem.setProperty("field", errors.get(0).get("field"));
        }
        return ResponseEntity.badRequest().body(problem);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException e) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
                "'" + e.getValue() + "' is not a valid value for " + e.getName());
        problem.setProperty("field", e.getName());
        return ResponseEntity.badRequest().body(problem);
    }

    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<ProblemDetail> integrity(DataIntegrityViolationException e) {
        log.info("integrity conflict: {}", e.getMostSpecificCause().getMessage());
        return ResponseEntity.status(HttpStatus.CONFLICT).body(problem(HttpStatus.CONFLICT, "conflict",
                "Conflict with stored data", "the request conflicts with data stored in the service"));
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, Object>> errors = e.getBindingResult().getFieldErrors().stream()
                .map(f -> Map.<String, Object>of("field", f.getField(),
                        "reason", f.getDefaultMessage() == null ? "invalid" : f.getDefaultMessage()))
                .toList();
        return invalidRequest(errors, "invalid request body");
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, Object>> errors = e.getParameterValidationResults().stream()
                .flatMap(r -> r.getResolvableErrors().stream().map(err -> Map.<String, Object>of(
                        "field", r.getMethodParameter().getParameterName() == null ? "parameter"
                                : r.getMethodParameter().getParameterName(),
                        "reason", err.getDefaultMessage() == null ? "invalid" : err.getDefaultMessage())))
                .toList();
        return invalidRequest(errors, "invalid request");
    }

    /** 400 listing every field error; the first one also as {@code field} and in the detail. */
    private ResponseEntity<Object> invalidRequest(List<Map<String, Object>> errors, String detailWhenNone) {
        String detail = errors.isEmpty() ? detailWhenNone
                : errors.get(0).get("field") + ": " + errors.get(0).get("reason");
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", detail);
        problem.setProperty("errors", errors);
        if (!errors.isEmpty()) {
            problem.setProperty("field", errors.get(0).get("field"));
        }
        return ResponseEntity.badRequest().body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ApiProblemException problem) {
                // e.g. the body ran past its size cap while Jackson read it
                return ResponseEntity.status(problem.status()).body(problem.toProblemDetail());
            }
        }
        // Jackson's message names the field and the position; keep it but drop class names.
        String message = e.getMostSpecificCause().getMessage();
        String detail = message == null ? "the request body could not be read" : firstLine(message);
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "unreadable-body", "Request body is not valid", detail);
        String field = jsonPath(e);
        if (field != null) {
            problem.setProperty("field", field);
        }
        return ResponseEntity.badRequest().body(problem);
    }

    /** The field a value could not be read into, as a path ({@code schedules[0].temperatureK}), or null. */
    static String jsonPath(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof tools.jackson.core.JacksonException jackson && !jackson.getPath().isEmpty()) {
                StringBuilder path = new StringBuilder();
                for (tools.jackson.core.JacksonException.Reference ref : jackson.getPath()) {
                    if (ref.getPropertyName() != null) {
                        path.append(path.isEmpty() ? "" : ".").append(ref.getPropertyName());
                    } else if (ref.getIndex() >= 0) {
                        path.append('[').append(ref.getIndex()).append(']');
                    }
                }
                return path.isEmpty() ? null : path.toString();
            }
        }
        return null;
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        if (TransientFailures.isTransient(e) || (TransientFailures.involvesDatabase(e) && !databaseAnswers())) {
            // the database is restarting or unreachable: the client should come back, not give up
            log.warn("database unavailable: {}", e.getMessage());
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .header(HttpHeaders.RETRY_AFTER, String.valueOf(DATABASE_RETRY_AFTER_SECONDS))
                    .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "database-unavailable", "Database unavailable",
                            "the database is briefly unavailable; nothing was changed by this request unless it said so; "
                                    + "retry after " + DATABASE_RETRY_AFTER_SECONDS + " s"));
        }
        log.error("unexpected error", e);
        return ResponseEntity.internalServerError().body(problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error",
                "Internal error", "the service failed to handle this request; see its log"));
    }

    /** Whether the database answers now (asked only on the error path). */
    private boolean databaseAnswers() {
        DataSource dataSource = dataSources.getIfAvailable();
        if (dataSource == null) {
            return true;
        }
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(2);
        } catch (Exception e) {
            return false;
        }
    }

    static String firstLine(String message) {
        String line = message.lines().findFirst().orElse(message);
        return line.replaceAll("\\(class [^)]*\\)", "").replaceAll("[a-z]+(\\.[a-z0-9]+)+\\.([A-Z])", "$2").trim();
    }

    static ProblemDetail problem(HttpStatus status, String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("https://cvd-planner.org/problems/" + type));
        problem.setTitle(title);
        return problem;
    }
}
