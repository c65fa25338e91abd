package org.cvdplanner.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.cvdplanner.testkit.ServiceTest;
import org.cvdplanner.testkit.TestHttp;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * 32 uploaders send 50 batches each into one dataset, at the same time, retrying at random as a
 * client that lost an answer would (the same batch again, sometimes while the first is still
 * in flight). The dataset must end with exactly the intended profiles, each once and unchanged.
 */
@ServiceTest
class ConcurrentUploadersRobustnessTests {

    static final int UPLOADERS = 32;
    static final int BATCHES = 50;
    static final int PER_BATCH = 5;

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;


    @Test
    void manyUploadersWithRandomRetriesEndWithExactlyTheIntendedProfiles() throws Exception {
        TestHttp http = TestHttp.at(port);
        long datasetId = http.post("/api/v1/datasets", "{\"name\":\"uploaders\"}").json().get("id").asLong();
        String path = "/api/v1/datasets/" + datasetId + "/profiles";
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        AtomicInteger created = new AtomicInteger();
        AtomicInteger requests = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(UPLOADERS + 8);
        long started = System.nanoTime();
        try {
            List<Future<?>> uploaders = new ArrayList<>();
            for (int u = 0; u < UPLOADERS; u++) {
                int uploader = u;
                uploaders.add(pool.submit(() -> {
                    Random random = new Random(1000 + uploader);
                    for (int b = 0; b < BATCHES; b++) {
                        String body = batch(uploader, b);
                        int sends = 1 + (random.nextInt(3) == 0 ? 1 + random.nextInt(2) : 0);
                        List<Future<Integer>> inFlight = new ArrayList<>();
                        for (int s = 0; s < sends; s++) {
                            // a retry sometimes overlaps the first send (the client timed out early)
                            if (s > 0 && random.nextBoolean()) {
                                inFlight.add(pool.submit(() -> send(path, body, statuses, created, requests)));
                            } else {
                                send(path, body, statuses, created, requests);
                            }
                        }
                        for (Future<Integer> f : inFlight) {
                            f.get(120, TimeUnit.SECONDS);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : uploaders) {
                f.get(10, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Set<String> intended = new HashSet<>();
        for (int u = 0; u < UPLOADERS; u++) {
            for (int b = 0; b < BATCHES; b++) {
                for (int p = 0; p < PER_BATCH; p++) {
                    intended.add(id(u, b, p));
                }
            }
        }
        List<String> stored = jdbc.queryForList("select external_id from profile where dataset_id = ?", String.class, datasetId);
        Set<String> storedSet = new HashSet<>(stored);
        // every batch once more: all duplicates (same content), nothing created, no conflict
        int recreated = 0;
        for (int u = 0; u < UPLOADERS; u++) {
            for (int b = 0; b < BATCHES; b += 7) {
                TestHttp.Response r = http.send("POST", path, "text/csv", batch(u, b));
                assertThat(r.status()).as(r.body()).isEqualTo(200);
                recreated += r.json().get("created").asInt();
            }
        }
        long lost = intended.stream().filter(id -> !storedSet.contains(id)).count();
        long duplicated = stored.size() - storedSet.size();
        long foreign = storedSet.stream().filter(id -> !intended.contains(id)).count();
        RobustnessReport.section("20-uploaders", String.format(Locale.ROOT, """
                ## Concurrent uploaders

                %d uploaders × %d batches of %d profiles into one dataset, each batch sent 1–3 times (retries sometimes
                overlapping the first send; a 503 + Retry-After, the instance's admission limit, sent again after a
                short pause): %d requests in %.1f s, answers by status %s. Intended %d profiles, stored %d
                (created reported %d): **lost %d, duplicated %d, unexpected %d**; re-sent batches changed nothing (%d created).
                """, UPLOADERS, BATCHES, PER_BATCH, requests.get(), seconds, statuses, intended.size(), stored.size(),
                created.get(), lost, duplicated, foreign, recreated));

        assertThat(statuses.keySet()).as("503 only as 'busy, retry'").isSubsetOf(200, 201, 503);
        assertThat(lost).isZero();
        assertThat(duplicated).isZero();
        assertThat(foreign).isZero();
        assertThat(created.get()).isEqualTo(intended.size());
        assertThat(recreated).isZero();
    }

    private int send(String path, String body, Map<Integer, AtomicInteger> statuses, AtomicInteger created,
            AtomicInteger requests) throws Exception {
        TestHttp.Response r;
        do {
            // 503 + Retry-After: the instance admits a few uploads at once; the client comes back
            r = TestHttp.at(port).send("POST", path, "text/csv", body);
            requests.incrementAndGet();
            statuses.computeIfAbsent(r.status(), k -> new AtomicInteger()).incrementAndGet();
            if (r.status() == 503) {
                assertThat(r.headers().firstValue("Retry-After")).isPresent();
                Thread.sleep(20 + ThreadLocalRandom.current().nextInt(80));
            }
        } while (r.status() == 503);
        if (r.status() / 100 == 2) {
            created.addAndGet(r.json().get("created").asInt());
        }
        return r.status();
    }

    static String id(int uploader, int batch, int profile) {
        return "u" + uploader + "-b" + batch + "-p" + profile;
    }

    static String batch(int uploader, int batch) {
        StringBuilder s = new StringBuilder("profile_id,t,temperature_k,s2,h2,h2s,phase_2h,phase_1t,phase_defect\n");
        Random random = new Random(uploader * 1000L + batch);
        for (int p = 0; p < PER_BATCH; p++) {
            for (int t = 0; t < 20; t++) {
                double a = random.nextDouble();
                double b = (1 - a) * random.nextDouble();
                s.append(String.format(Locale.ROOT, "%s,%d,%d,%d,%d,%d,%.6f,%.6f,%.6f%n", id(uploader, batch, p), t,
                        1000 + random.nextInt(2000), 20 + random.nextInt(200), 20 + random.nextInt(200),
                        20 + random.nextInt(150), a, b, 1 - a - b));
            }
        }
        return s.toString();
    }
}
