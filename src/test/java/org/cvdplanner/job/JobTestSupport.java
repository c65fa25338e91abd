package org.cvdplanner.job;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** HTTP and database helpers of the job tests. */
final class JobTestSupport {

    static final String QUEUE = "job-tests";
    static final JsonMapper JSON = JsonMapper.builder().build();

    private JobTestSupport() {
    }

    record Response(int status, Map<String, java.util.List<String>> headers, String body) {
        JsonNode json() {
            return JSON.readTree(body);
        }

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static Response post(String base, String path, String body, String idempotencyKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return send(request.build());
    }

    static Response get(String base, String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET().build());
    }

    private static Response send(HttpRequest request) {
        try {
            HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.headers().map(), r.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    static String status(JdbcTemplate jdbc, UUID id) {
        return jdbc.queryForObject("select status from job where id = ?", String.class, id);
    }

    /** Removes the jobs of the job tests (committed data) and their executions. */
    static void cleanJobTables(JdbcTemplate jdbc) {
        // let running jobs stop first, so no run loses its rows under its feet
        jdbc.update("update job set cancel_requested = true where status in ('QUEUED', 'RUNNING') and type in (?, ?, ?)",
                DiagnosticCounterJob.TYPE, RecordingTestJob.TYPE, FlakyDatabaseTestJob.TYPE);
        await("running test jobs to stop", Duration.ofSeconds(20), () -> jdbc.queryForObject(
                "select count(*) from job where status = 'RUNNING' and type in (?, ?, ?)", Integer.class,
                DiagnosticCounterJob.TYPE, RecordingTestJob.TYPE, FlakyDatabaseTestJob.TYPE) == 0);
        jdbc.update("delete from scheduled_tasks where task_name like 'job-test%'");
        jdbc.update("delete from job where type in (?, ?, ?)", DiagnosticCounterJob.TYPE, RecordingTestJob.TYPE,
                FlakyDatabaseTestJob.TYPE);
    }
}
