package org.cvdplanner.idempotency;

import java.io.ByteArrayInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.cvdplanner.security.Callers;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.PathContainer;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Makes every creating POST under /api/v1 idempotent when it carries an {@code Idempotency-Key}:
 * the first request claims the key (a committed row, so no database lock is held while it
 * runs), its response is stored, and retries with the same key and body get that response
 * again; concurrent retries wait for it. A 5xx releases the key so a retry runs again.
 */
final class IdempotencyFilter extends OncePerRequestFilter {

    static final String HEADER = "Idempotency-Key";
    static final String REPLAYED = "Idempotent-Replayed";
    static final int MAX_KEY_LENGTH = 255;
    private static final List<String> KEPT_HEADERS = List.of(HttpHeaders.LOCATION, HttpHeaders.CONTENT_TYPE,
            HttpHeaders.CONTENT_LANGUAGE);

    /**
     * POSTs that are not covered: keys (the response holds a secret that must not be stored),
     * job submissions (idempotent through the job table, which knows equivalent parameters) and
     * computations that store nothing.
     */
    private static final List<PathPattern> NOT_COVERED = List.of("/api/v1/api-keys", "/api/v1/jobs/**",
            "/api/v1/datasets/*/simulations", "/api/v1/models/*/predictions", "/api/v1/simulations/runs").stream()
            .map(PathPatternParser.defaultInstance::parse).toList();

    private final IdempotencyRecords records;
    private final IdempotencyProperties properties;
    private final JsonMapper json;

    IdempotencyFilter(IdempotencyRecords records, IdempotencyProperties properties, JsonMapper json) {
        this.records = records;
        this.properties = properties;
        this.json = json;
    }

    static boolean covers(String method, String path) {
        if (!"POST".equals(method) || !path.startsWith("/api/v1/")) {
            return false;
        }
        PathContainer container = PathContainer.parsePath(path);
        return NOT_COVERED.stream().noneMatch(p -> p.matches(container));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String key = request.getHeader(HEADER);
        String path = request.getRequestURI();
        if (key == null || !covers(request.getMethod(), path)) {
            chain.doFilter(request, response);
            return;
        }
        if (key.isBlank() || key.length() > MAX_KEY_LENGTH) {
            problem(response, HttpStatus.BAD_REQUEST, "invalid-idempotency-key", "Invalid Idempotency-Key",
                    "the Idempotency-Key header must have 1 to " + MAX_KEY_LENGTH + " characters");
            return;
        }
        byte[] body = readBounded(request.getInputStream());
        if (body == null) {
            problem(response, HttpStatus.CONTENT_TOO_LARGE, "idempotent-body-too-large", "Body too large for an Idempotency-Key",
                    "a request with an Idempotency-Key may have at most " + properties.maxBodySize().toMegabytes()
                            + " MB (cvd-planner.idempotency.max-body-size); split the upload or send it without the key");
            return;
        }
        String scope = Callers.currentApiKeyId().map(UUID::toString).orElse("");
        String hash = hash(request.getMethod(), path, request.getContentType(), body);
        long deadline = System.nanoTime() + properties.waitForInProgress().toNanos();
        while (true) {
            if (records.claim(scope, key, request.getMethod(), path, hash, properties.inProgressLease(), properties.retention())) {
                runAndStore(new CachedBodyRequest(request, body), response, chain, scope, key);
                return;
            }
            Optional<IdempotencyRecords.Stored> stored = records.find(scope, key);
            if (stored.isEmpty()) {
                continue; // released by a failed first request, or expired and deleted: claim again
            }
            IdempotencyRecords.Stored record = stored.get();
            if (!record.requestHash().equals(hash)) {
                problem(response, HttpStatus.UNPROCESSABLE_CONTENT, "idempotency-key-reused", "Idempotency-Key reused",
                        "Idempotency-Key '" + key + "' was already used with a different request ("
                                + record.method() + " " + record.path() + ")");
                return;
            }
            if (record.completed()) {
                replay(record, response);
                return;
            }
            if (System.nanoTime() > deadline) {
                response.setHeader(HttpHeaders.RETRY_AFTER, "5");
                problem(response, HttpStatus.CONFLICT, "idempotent-request-in-progress", "Request still in progress",
                        "the first request with Idempotency-Key '" + key + "' is still running; retry later");
                return;
            }
            sleep();
        }
    }

    private void runAndStore(HttpServletRequest request, HttpServletResponse response, FilterChain chain, String scope,
            String key) throws IOException, ServletException {
        ContentCachingResponseWrapper wrapper = new ContentCachingResponseWrapper(response);
        try {
            chain.doFilter(request, wrapper);
        } catch (IOException | ServletException | RuntimeException e) {
            records.release(scope, key);
            throw e;
        }
        int status = wrapper.getStatus();
        if (status >= 500) {
            records.release(scope, key);
        } else {
            Map<String, String> headers = new LinkedHashMap<>();
            for (String name : KEPT_HEADERS) {
                String value = name.equals(HttpHeaders.CONTENT_TYPE) ? wrapper.getContentType() : wrapper.getHeader(name);
                if (value != null) {
                    headers.put(name, value);
                }
            }
            records.complete(scope, key, status, json.writeValueAsString(headers), wrapper.getContentAsByteArray());
        }
        wrapper.copyBodyToResponse();
    }

    private void replay(IdempotencyRecords.Stored record, HttpServletResponse response) throws IOException {
        response.setStatus(record.status());
        if (record.headersJson() != null) {
            json.readTree(record.headersJson()).properties().forEach(h -> response.setHeader(h.getKey(), h.getValue().asString()));
        }
        response.setHeader(REPLAYED, "true");
        byte[] body = record.body() == null ? new byte[0] : record.body();
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private byte[] readBounded(InputStream in) throws IOException {
        long max = properties.maxBodySize().toBytes();
        byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
        return body.length > max ? null : body;
    }

    /** Method, path, media type and body; a JSON body in canonical form (sorted fields, no spacing). */
    String hash(String method, String path, String contentType, byte[] body) {
        String mediaType = "";
        byte[] content = body;
        if (contentType != null) {
            try {
                MediaType type = MediaType.parseMediaType(contentType);
                mediaType = type.getType() + "/" + type.getSubtype();
                if (type.isCompatibleWith(MediaType.APPLICATION_JSON)) {
                    content = canonical(json.readTree(body)).getBytes(StandardCharsets.UTF_8);
                }
            } catch (JacksonException | IllegalArgumentException e) {
                // not parseable: hash the bytes as sent; the controller will reject the body
            }
        }
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((method + "\n" + path + "\n" + mediaType + "\n").getBytes(StandardCharsets.UTF_8));
            digest.update(content);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String canonical(JsonNode node) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>(node.propertyNames());
            names.sort(null);
            StringBuilder out = new StringBuilder("{");
            for (String name : names) {
                out.append(out.length() > 1 ? "," : "").append(json.writeValueAsString(name)).append(':')
                        .append(canonical(node.get(name)));
            }
            return out.append('}').toString();
        }
        if (node.isArray()) {
            StringBuilder out = new StringBuilder("[");
            for (JsonNode item : node) {
                out.append(out.length() > 1 ? "," : "").append(canonical(item));
            }
            return out.append(']').toString();
        }
        return json.writeValueAsString(node);
    }

    private void problem(HttpServletResponse response, HttpStatus status, String type, String title, String detail)
            throws IOException {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("https://cvd-planner.org/problems/" + type));
        problem.setTitle(title);
        problem.setProperty("field", HEADER);
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        json.writeValue(response.getOutputStream(), problem);
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for an idempotent request", e);
        }
    }

    /** The request with its body already read (to hash it), readable again by the controller. */
    private static final class CachedBodyRequest extends HttpServletRequestWrapper {

        private final byte[] body;

        CachedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            String encoding = getCharacterEncoding() == null ? "UTF-8" : getCharacterEncoding();
            return new BufferedReader(new InputStreamReader(getInputStream(), java.nio.charset.Charset.forName(encoding)));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
