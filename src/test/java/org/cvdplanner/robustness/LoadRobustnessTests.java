package org.cvdplanner.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.cvdplanner.testkit.ServiceTest;
import org.cvdplanner.testkit.TestHttp;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A load run: {@code robustness.load.clients} clients (default 200) for
 * {@code robustness.load.seconds} (default 60) against one instance, mixing reads, simulation
 * runs (CPU-heavy: shed with 503 + Retry-After when the CPU limiter is full) and uploads.
 * Reports p50/p99 latency per kind, errors, shed requests and heap; fails on any 5xx other
 * than a 503 with Retry-After, and on a liveness probe slower than the chart's 5 s timeout.
 */
@ServiceTest
class LoadRobustnessTests {

    static final int CLIENTS = Integer.getInteger("robustness.load.clients", 200);
    static final int SECONDS = Integer.getInteger("robustness.load.seconds", 60);

    @LocalServerPort
    int port;


    record Sample(String kind, long nanos, int status) {
    }

    @Test
    void twoHundredClientsForAMinuteGetAnswersAndTheProbesStayQuick() throws Exception {
        TestHttp http = TestHttp.at(port);
        long datasetId = http.post("/api/v1/datasets", "{\"name\":\"load\"}").json().get("id").asLong();
        String profiles = "/api/v1/datasets/" + datasetId + "/profiles";
        http.send("POST", profiles, "text/csv", ConcurrentUploadersRobustnessTests.batch(9999, 0));
        String runBody = "{\"schedules\":[{\"steps\":" + steps() + "}],\"replicas\":1,\"seed\":3}";

        List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
        Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
        AtomicLong slowestProbe = new AtomicLong();
        AtomicInteger uploads = new AtomicInteger();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS + 1);
        long peakMiB;
        try (RobustnessReport.HeapSampler heap = new RobustnessReport.HeapSampler()) {
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                clients.add(pool.submit(() -> {
                    Random random = new Random(client);
                    while (System.nanoTime() < end) {
                        int pick = random.nextInt(100);
                        HttpRequest request;
                        String kind;
                        if (pick < 70) {
                            kind = "read";
                            String path = switch (random.nextInt(4)) {
                                case 0 -> "/api/v1/datasets/" + datasetId;
                                case 1 -> "/api/v1/datasets/" + datasetId + "/profiles?limit=5";
                                case 2 -> "/api/v1/datasets/" + datasetId + "/profiles/u9999-b0-p1";
                                default -> "/api/v1/jobs?limit=10";
                            };
                            request = http.request(path).GET().build();
                        } else if (pick < 85) {
                            kind = "simulation run";
                            request = http.request("/api/v1/simulations/runs")
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(runBody)).build();
                        } else {
                            kind = "upload";
                            request = http.request(profiles).header("Content-Type", "text/csv")
                                    .POST(HttpRequest.BodyPublishers.ofString(
                                            ConcurrentUploadersRobustnessTests.batch(10_000 + client, uploads.incrementAndGet())))
                                    .build();
                        }
                        long t0 = System.nanoTime();
                        try {
                            TestHttp.Response r = http.send(request);
                            samples.add(new Sample(kind, System.nanoTime() - t0, r.status()));
                            if (r.status() >= 500 && !(r.status() == 503 && r.headers().firstValue("Retry-After").isPresent())) {
                                failures.computeIfAbsent(kind + " " + r.status(), k -> new AtomicInteger()).incrementAndGet();
                            }
                        } catch (Exception e) {
                            failures.computeIfAbsent(kind + " " + e.getClass().getSimpleName(), k -> new AtomicInteger())
                                    .incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            // the liveness probe, as Kubernetes sends it, while the load runs
            clients.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    TestHttp.Response r = http.send(http.request("/actuator/health/liveness").timeout(Duration.ofSeconds(10))
                            .build());
                    slowestProbe.accumulateAndGet(System.nanoTime() - t0, Math::max);
                    if (r.status() != 200) {
                        failures.computeIfAbsent("liveness " + r.status(), k -> new AtomicInteger()).incrementAndGet();
                    }
                    Thread.sleep(1000);
                }
                return null;
            }));
            for (Future<?> f : clients) {
                f.get(SECONDS + 300L, TimeUnit.SECONDS);
            }
            peakMiB = heap.peakMiB();
        } finally {
            pool.shutdownNow();
        }

        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, """
                ## Load (%d clients for %d s, one instance, the test JVM's embedded server)

                Clients send their next request as soon as an answer arrives (a 503 is not waited out). Latency of the
                answers that were served (not shed):

                | requests | answers | served | p50 served | p99 served | max served | status counts |
                |---|---|---|---|---|---|---|
                """, CLIENTS, SECONDS));
        Map<String, List<Sample>> byKind = new TreeMap<>();
        List<Sample> all;
        synchronized (samples) {
            all = List.copyOf(samples);
        }
        all.forEach(s -> byKind.computeIfAbsent(s.kind(), k -> new ArrayList<>()).add(s));
        byKind.put("all", all);
        byKind.forEach((kind, list) -> {
            long[] nanos = list.stream().filter(s -> s.status() != 503).mapToLong(Sample::nanos).sorted().toArray();
            Map<Integer, Integer> statuses = new TreeMap<>();
            list.forEach(s -> statuses.merge(s.status(), 1, Integer::sum));
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %.0f ms | %.0f ms | %.0f ms | %s |%n", kind, list.size(),
                    nanos.length, percentile(nanos, 0.50), percentile(nanos, 0.99),
                    nanos.length == 0 ? 0.0 : nanos[nanos.length - 1] / 1e6, statuses));
        });
        long errors = failures.values().stream().mapToLong(AtomicInteger::get).sum();
        long shed = all.stream().filter(s -> s.status() == 503).count();
        md.append(String.format(Locale.ROOT, "%n**Errors (5xx other than a 503 with Retry-After, failed connections): %d "
                + "(%.3f%%)**%s; shed with 503 + Retry-After: %d; slowest liveness probe %.0f ms; peak used heap of the test "
                + "JVM %d MiB.%n", errors, 100.0 * errors / Math.max(1, all.size()), failures.isEmpty() ? "" : " " + failures,
                shed, slowestProbe.get() / 1e6, peakMiB));
        RobustnessReport.section("50-load", md.toString());

        assertThat(failures).isEmpty();
        // the chart's liveness probe gives up after 5 s (three misses restart the pod)
        assertThat(slowestProbe.get()).as("liveness answers within the probe's timeout").isLessThan(TimeUnit.SECONDS.toNanos(5));
        assertThat(all.stream().filter(s -> s.kind().equals("read") && s.status() == 200).count()).isPositive();
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    private static String steps() {
        StringBuilder s = new StringBuilder("[");
        for (int t = 0; t < 20; t++) {
            s.append(t == 0 ? "" : ",").append("{\"temperatureK\":").append(1500 + 50 * t)
                    .append(",\"s2\":100,\"h2\":60,\"h2s\":40}");
        }
        return s.append(']').toString();
    }
}
