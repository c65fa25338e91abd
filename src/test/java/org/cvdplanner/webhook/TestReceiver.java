package org.cvdplanner.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP receiver on localhost: /ok answers 204, /flaky answers 500 to the first three
 * attempts of each webhook-id and 200 after, /slow answers 204 after 100 ms (so deliveries are
 * in flight when the service is killed), /hang answers after 30 s.
 */
final class TestReceiver implements AutoCloseable {

    record Received(String path, String id, String timestamp, String signature, String body, int answered) {
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> flakyAttempts = new ConcurrentHashMap<>();
    private final HttpServer server;

    TestReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.createContext("/", exchange -> {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String path = exchange.getRequestURI().getPath();
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            int status = switch (path) {
                case "/flaky" -> flakyAttempts.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet() <= 3 ? 500 : 200;
                case "/slow" -> {
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    yield 204;
                }
                case "/hang" -> {
                    try {
                        Thread.sleep(30_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    yield 200;
                }
                default -> 204;
            };
            received.add(new Received(path, id, exchange.getRequestHeaders().getFirst("webhook-timestamp"),
                    exchange.getRequestHeaders().getFirst("webhook-signature"), body, status));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    List<Received> at(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
