package org.cvdplanner.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.function.BooleanSupplier;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Raw HTTP against a running test server (bodies reach the service exactly as sent), JSON
 * reading, and polling. One shared {@link HttpClient}; a client is a base URL, an optional API
 * key and a request timeout. Event streams are never read to the end (their body reads as ""),
 * so a call on an SSE endpoint cannot hang a test.
 */
public final class TestHttp {

    public static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED");

    private final String base;
    private final String apiKey;
    private final Duration timeout;

    private TestHttp(String base, String apiKey, Duration timeout) {
        this.base = base;
        this.apiKey = apiKey;
        this.timeout = timeout;
    }

    /** The server on localhost at this port. */
    public static TestHttp at(int port) {
        return at("http://localhost:" + port);
    }

    public static TestHttp at(String base) {
        return new TestHttp(base, null, Duration.ofSeconds(120));
    }

    /** The same server, every request with {@code Authorization: Bearer key} (none when null). */
    public TestHttp withKey(String key) {
        return new TestHttp(base, key, timeout);
    }

    public TestHttp withTimeout(Duration requestTimeout) {
        return new TestHttp(base, apiKey, requestTimeout);
    }

    public String base() {
        return base;
    }

    public String url(String path) {
        return base + path;
    }

    /** An answer, its body read as text. */
    public record Response(int status, HttpHeaders headers, String body) {

        public JsonNode json() {
            return JSON.readTree(body);
        }

        /** The first value of a header (names are case-insensitive), or null. */
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    public Response get(String path) {
        return send("GET", path, null, null);
    }

    public Response delete(String path) {
        return send("DELETE", path, null, null);
    }

    public Response post(String path, String json) {
        return send("POST", path, "application/json", json);
    }

    public Response post(String path, String json, String idempotencyKey) {
        return idempotencyKey == null ? post(path, json)
                : send("POST", path, "application/json", json, "Idempotency-Key", idempotencyKey);
    }

    /** Any method with any body type; {@code headers} are name, value pairs. A null body sends none. */
    public Response send(String method, String path, String contentType, String body, String... headers) {
        HttpRequest.Builder request = request(path).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request.build());
    }

    /** A request to this server with the client's timeout and key, for what the helpers above do not cover. */
    public HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout);
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        return request;
    }

    public Response send(HttpRequest request) {
        HttpResponse<InputStream> response = open(request);
        try (InputStream in = response.body()) {
            boolean stream = response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream");
            String text = stream ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new Response(response.statusCode(), response.headers(), text);
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri(), e);
        }
    }

    /** The answer with its body unread (event streams, binary bodies); close the stream. */
    public HttpResponse<InputStream> open(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A GET whose body is bytes (images, archives). */
    public HttpResponse<byte[]> bytes(String path) {
        try {
            return CLIENT.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Polls the job until it is SUCCEEDED, FAILED or CANCELLED, and returns its last view. */
    public JsonNode awaitJob(String jobId, Duration timeout) {
        JsonNode[] job = new JsonNode[1];
        await("job " + jobId + " to finish", timeout, () -> {
            job[0] = get("/api/v1/jobs/" + jobId).json();
            return TERMINAL.contains(job[0].path("status").asString());
        });
        return job[0];
    }

    /** Polls {@code condition} every 50 ms until it holds; fails the test after {@code timeout}. */
    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            pause(Duration.ofMillis(50));
        }
    }

    /** Thread.sleep for tests: an interrupt fails the test instead of being swallowed. */
    public static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
