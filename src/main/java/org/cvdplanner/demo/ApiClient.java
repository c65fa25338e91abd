package org.cvdplanner.demo;

import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

/**
 * A small client of the service's own HTTP API: what a LIMS or a script would do. Public so the
 * end-to-end test drives the same code the demo runs.
 */
public final class ApiClient {

    private final RestClient http;

    public ApiClient(String baseUrl) {
        this(baseUrl, null);
    }

    /** With an API key (sent as a bearer token), or null when the service runs without security. */
    public ApiClient(String baseUrl, String apiKey) {
        RestClient.Builder builder = RestClient.builder().baseUrl(baseUrl);
        if (apiKey != null) {
            builder.defaultHeader("Authorization", "Bearer " + apiKey);
        }
        this.http = builder.build();
    }

    public JsonNode get(String path) {
        return http.get().uri(path).retrieve().body(JsonNode.class);
    }

    public JsonNode post(String path, Object body) {
        return http.post().uri(path).contentType(MediaType.APPLICATION_JSON).body(body).retrieve().body(JsonNode.class);
    }

    /** Submits a job-creating POST and waits until the job is terminal; returns the final job. */
    public JsonNode runJob(String path, Map<String, Object> body, Duration timeout, Consumer<JsonNode> onProgress) {
        JsonNode submitted = post(path, body);
        String location = submitted.get("location").asString();
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastProgress = "";
        while (true) {
            JsonNode job = get(location);
            String status = job.get("status").asString();
            String progress = job.path("progress").toString();
            if (!progress.equals(lastProgress)) {
                onProgress.accept(job);
                lastProgress = progress;
            }
            switch (status) {
                case "SUCCEEDED" -> {
                    return job;
                }
                case "FAILED", "CANCELLED" -> throw new IllegalStateException(
                        "job " + job.get("id").asString() + " (" + job.get("type").asString() + ") " + status + ": "
                                + job.path("error").asString(""));
                default -> {
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("job " + location + " still " + status + " after " + timeout);
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + location, e);
            }
        }
    }
}
