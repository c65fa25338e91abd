package org.cvdplanner.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.cvdplanner.testkit.ServiceTest;
import org.cvdplanner.testkit.TestHttp;
import org.junit.jupiter.api.Test;

/**
 * Uploads under bad input and races: bounds checked while reading, concurrent identical and
 * conflicting uploads, a delete during an upload, a delete while a job uses the dataset. Same
 * configuration as {@link ProfileUploadApiTests}, so the two share one application context.
 */
@ServiceTest
class UploadRacesAndBoundsTests extends DatasetUploadTest {

    @Test
    void aJsonProfileWithTooManyStepsFailsAtTheFirstExtraStep() {
        StringBuilder steps = new StringBuilder();
        double[] row = ProfileFixtures.steps(1, 1)[0];
        for (int t = 0; t < 5_000; t++) {
            steps.append(t == 0 ? "" : ",").append("{\"t\":").append(t).append(",\"temperatureK\":").append(row[1])
                    .append(",\"s2\":1,\"h2\":1,\"h2s\":1,\"phase2H\":1,\"phase1T\":0,\"phaseDefect\":0}");
        }
        TestHttp.Response r = http.send("POST", profiles(), "application/json",
                "[{\"externalId\":\"long\",\"steps\":[" + steps + "]}]");
        assertThat(r.status()).isEqualTo(400);
        assertThat(json(r).get("detail").asString()).contains("more than 20 steps");
        assertThat(stored()).isZero();
    }

    @Test
    void aCsvProfileWithTooManyRowsIsRejectedByName() {
        TestHttp.Response r = http.send("POST", profiles(), "text/csv", ProfileFixtures.csvHeader()
                + ProfileFixtures.csvRows("long", ProfileFixtures.steps(2, 20))
                + ProfileFixtures.csvRows("long", ProfileFixtures.steps(3, 20)));
        assertThat(r.status()).isEqualTo(422);
        assertThat(json(r).get("profile").asString()).isEqualTo("long");
        assertThat(json(r).get("detail").asString()).contains("more than 20 steps");
        assertThat(stored()).isZero();
    }

    @Test
    void physicallyImpossibleValuesAreRejected() {
        String good = ProfileFixtures.jsonArray(List.of("hot"), 4);
        String hot = good.replaceFirst("\"temperatureK\":[0-9.eE+-]+", "\"temperatureK\":1e300");
        TestHttp.Response r = http.send("POST", profiles(), "application/json", hot);
        assertThat(r.status()).isEqualTo(422);
        assertThat(json(r).get("field").asString()).isEqualTo("temperatureK");
        String crowded = good.replaceFirst("\"s2\":[0-9.eE+-]+", "\"s2\":5e7");
        r = http.send("POST", profiles(), "application/json", crowded);
        assertThat(r.status()).isEqualTo(422);
        assertThat(json(r).get("field").asString()).isEqualTo("s2");
        assertThat(stored()).isZero();
    }

    @Test
    void aHugeCsvLineOrJsonStringIsRefusedWithoutBufferingIt() {
        String longLine = ProfileFixtures.csvHeader() + "x".repeat(200_000) + ",0,1,1,1,1,1,0,0\n";
        TestHttp.Response r = http.send("POST", profiles(), "text/csv", longLine);
        assertThat(r.status()).isEqualTo(400);
        assertThat(json(r).get("detail").asString()).contains("longer than");
        r = http.send("POST", profiles(), "application/json", "[{\"externalId\":\"" + "y".repeat(200_000) + "\",\"steps\":[]}]");
        assertThat(r.status()).isEqualTo(400);
        assertThat(stored()).isZero();
    }

    @Test
    void concurrentIdenticalUploadsStoreEachProfileOnceAndNeverFail() throws Exception {
        String body = ProfileFixtures.csv(ProfileFixtures.ids("same", 60), 11);
        List<Integer> statuses = race(8, i -> body);
        assertThat(statuses).containsOnly(200, 201).contains(201);
        assertThat(stored()).isEqualTo(60);
    }

    @Test
    void concurrentConflictingUploadsStoreOneVersionAndAnswer409ToTheRest() throws Exception {
        List<Integer> statuses = race(8, i -> ProfileFixtures.csv(ProfileFixtures.ids("clash", 40), 100 + i));
        assertThat(statuses).containsOnly(201, 409);
        assertThat(statuses.stream().filter(s -> s == 201).count()).isEqualTo(1);
        assertThat(stored()).isEqualTo(40);
    }

    @Test
    void aDeleteDuringAnUploadWaitsForItAndNeitherFails() throws Exception {
        PipedOutputStream writer = new PipedOutputStream();
        PipedInputStream reader = new PipedInputStream(writer, 1 << 16);
        HttpRequest upload = http.request(profiles())
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofInputStream(() -> reader)).build();
        CompletableFuture<TestHttp.Response> uploaded = CompletableFuture.supplyAsync(() -> http.send(upload));
        write(writer, ProfileFixtures.csvHeader());
        List<String> ids = ProfileFixtures.ids("during", 20);
        for (int i = 0; i < 10; i++) {
            write(writer, ProfileFixtures.csvRows(ids.get(i), ProfileFixtures.steps(i, 20)));
        }
        // the upload's transaction holds the dataset now; the delete has to wait for it
        waitUntil(() -> jdbc.queryForObject("select count(*) from pg_locks l join pg_class c on c.oid = l.relation "
                + "where c.relname = 'dataset' and l.mode = 'RowShareLock'", Long.class) > 0);
        CompletableFuture<TestHttp.Response> deleted = CompletableFuture.supplyAsync(
                () -> http.delete("/api/v1/datasets/" + datasetId));
        Thread.sleep(300);
        assertThat(deleted).isNotDone();
        for (int i = 10; i < 20; i++) {
            write(writer, ProfileFixtures.csvRows(ids.get(i), ProfileFixtures.steps(i, 20)));
        }
        writer.close();
        assertThat(uploaded.get(60, TimeUnit.SECONDS).status()).isEqualTo(201);
        assertThat(deleted.get(60, TimeUnit.SECONDS).status()).isEqualTo(204);
        assertThat(stored()).isZero();
        assertThat(http.get("/api/v1/datasets/" + datasetId).status()).isEqualTo(404);
    }

    @Test
    void aDatasetThatAQueuedOrRunningJobUsesCannotBeDeleted() {
        UUID job = UUID.randomUUID();
        // a job row without a queue execution: nothing runs it, it just stays QUEUED
        jdbc.update("insert into job (id, type, status, parameters, seed, request_hash) values (?, 'nade-training', "
                + "'QUEUED', cast(? as jsonb), 1, 'x')", job, "{\"datasetId\": " + datasetId + ", \"epochs\": 3}");
        try {
            TestHttp.Response r = http.delete("/api/v1/datasets/" + datasetId);
            assertThat(r.status()).isEqualTo(409);
            assertThat(json(r).get("jobs").get(0).asString()).isEqualTo(job.toString());
            jdbc.update("update job set status = 'RUNNING' where id = ?", job);
            assertThat(http.delete("/api/v1/datasets/" + datasetId).status()).isEqualTo(409);
            jdbc.update("update job set status = 'FAILED', finished_at = now() where id = ?", job);
            assertThat(http.delete("/api/v1/datasets/" + datasetId).status()).isEqualTo(204);
        } finally {
            jdbc.update("delete from job where id = ?", job);
        }
    }

    @Test
    void aJobSubmittedWhileItsDatasetIsDeletedNeverOutlivesTheDataset() throws Exception {
        int trials = 60;
        java.util.Map<String, Integer> outcomes = new java.util.TreeMap<>();
        List<UUID> submitted = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        java.util.Random random = new java.util.Random(12);
        try {
            for (int trial = 0; trial < trials; trial++) {
                long dataset = createDataset();
                CyclicBarrier start = new CyclicBarrier(2);
                int jitterMicros = random.nextInt(3000);
                Future<TestHttp.Response> submit = pool.submit(() -> {
                    start.await();
                    return http.post("/api/v1/datasets/" + dataset + "/simulations", "{\"count\": 1}");
                });
                Future<TestHttp.Response> delete = pool.submit(() -> {
                    start.await();
                    TimeUnit.MICROSECONDS.sleep(jitterMicros);
                    return http.delete("/api/v1/datasets/" + dataset);
                });
                int submitStatus = submit.get(60, TimeUnit.SECONDS).status();
                int deleteStatus = delete.get(60, TimeUnit.SECONDS).status();
                outcomes.merge("submit " + submitStatus + " / delete " + deleteStatus, 1, Integer::sum);
                assertThat(submitStatus).as(submit.get().body()).isIn(202, 404, 422);
                assertThat(deleteStatus).as(delete.get().body()).isIn(204, 409);
                if (submitStatus == 202) {
                    UUID job = UUID.fromString(json(submit.get()).get("id").asString());
                    submitted.add(job);
                    // the job was stored first: the delete must have seen it, unless it had already finished
                    String status = jdbc.queryForObject("select status from job where id = ?", String.class, job);
                    assertThat(deleteStatus == 409 || status.equals("SUCCEEDED"))
                            .as("trial %d: job %s is %s but its dataset was deleted", trial, job, status).isTrue();
                }
            }
        } finally {
            pool.shutdownNow();
        }
        // no job of these refers to a dataset that is gone unless it succeeded before the delete
        long orphans = submitted.stream().filter(job -> jdbc.queryForObject("""
                select j.status <> 'SUCCEEDED' and not exists (select 1 from dataset d
                where d.id = (j.parameters ->> 'datasetId')::bigint) from job j where j.id = ?""", Boolean.class, job)).count();
        assertThat(orphans).as("jobs on deleted datasets; outcomes %s", outcomes).isZero();
        System.out.println("job submission vs dataset deletion, " + trials + " trials: " + outcomes);
    }

    private List<Integer> race(int uploaders, java.util.function.IntFunction<String> body) throws Exception {
        CyclicBarrier start = new CyclicBarrier(uploaders);
        ExecutorService pool = Executors.newFixedThreadPool(uploaders);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < uploaders; i++) {
                int n = i;
                results.add(pool.submit(() -> {
                    String b = body.apply(n);
                    start.await();
                    // a client honours 503 + Retry-After (more uploaders than the instance admits at once)
                    for (int attempt = 0; ; attempt++) {
                        TestHttp.Response r = http.send("POST", profiles(), "text/csv", b);
                        if (r.status() != 503 || attempt == 200) {
                            return r.status();
                        }
                        assertThat(r.headers().firstValue("Retry-After")).isPresent();
                        Thread.sleep(50 + n * 10L);
                    }
                }));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : results) {
                statuses.add(f.get(120, TimeUnit.SECONDS));
            }
            return statuses;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 30 s");
            }
            Thread.sleep(20);
        }
    }
}
