package org.cvdplanner.security;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Raw HTTP with or without a key; reads at most a bounded prefix of the body so SSE streams do not hang. */
final class KeyedHttp {

    record Response(int status, Map<String, List<String>> headers, String body) {

        JsonNode json() {
            return JsonMapper.shared().readTree(body);
        }

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    KeyedHttp(int port) {
        this.base = "http://localhost:" + port;
    }

    Response call(String method, String path, String key, String contentType, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            String text;
            try (InputStream in = response.body()) {
                boolean stream = response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream");
                text = stream ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            return new Response(response.statusCode(), response.headers().map(), text);
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path, e);
        }
    }

    Response get(String path, String key) {
        return call("GET", path, key, null, null);
    }

    Response post(String path, String key, String json) {
        return call("POST", path, key, "application/json", json);
    }
}
