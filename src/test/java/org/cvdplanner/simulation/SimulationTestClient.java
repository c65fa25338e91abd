package org.cvdplanner.simulation;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Raw HTTP against the running test server, and waiting. */
final class SimulationTestClient {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient client = HttpClient.newHttpClient();
    private final String base;

    SimulationTestClient(int port) {
        this.base = "http://localhost:" + port;
    }

    record Response(int status, HttpResponse<String> raw) {
        JsonNode json() {
            return JSON.readTree(raw.body());
        }

        String body() {
            return raw.body();
        }
    }

    Response post(String path, String json) {
        return post(path, json, null);
    }

    Response post(String path, String json, String idempotencyKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return send(request.build());
    }

    Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60)).GET().build());
    }

    private Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response);
        } catch (Exception e) {
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

    /** A schedule as request JSON: T for the first hotSteps steps then annealK; S2 early then later. */
    static String scheduleJson(double hotK, int hotSteps, double annealK, double earlyS2, double laterS2, int steps) {
        StringBuilder json = new StringBuilder("{\"steps\":[");
        for (int t = 0; t < steps; t++) {
            if (t > 0) {
                json.append(',');
            }
            json.append("{\"temperatureK\":").append(t < hotSteps ? hotK : annealK)
                    .append(",\"s2\":").append(t < 3 ? earlyS2 : laterS2)
                    .append(",\"h2\":100,\"h2s\":100}");
        }
        return json.append("]}").toString();
    }
}
