package org.cvdplanner.robustness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cvdplanner.testkit.TestHttp.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.cvdplanner.CvdPlannerApplication;
import org.cvdplanner.testkit.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.postgresql.PGConnection;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.util.FileSystemUtils;
import tools.jackson.databind.JsonNode;

/**
 * The service against its own PostgreSQL, which the test stops and starts again: while the
 * database is away requests are 503 with Retry-After and readiness is DOWN; jobs that were
 * running (a simulation campaign, a NADE training) wait and complete afterwards without
 * losing an attempt, and nothing is half-written. Also measures a 256 MB upload's heap and
 * 10,000 profiles over HTTP next to COPY of the same rows.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DatabaseOutageRobustnessTests {

    static final Duration OUTAGE = Duration.ofSeconds(Long.getLong("robustness.outage.seconds", 30));
    static final String HEADER = "profile_id,t,temperature_k,s2,h2,h2s,phase_2h,phase_1t,phase_defect\n";

    Path directory;

    int databasePort;
    EmbeddedPostgres postgres;
    ConfigurableApplicationContext service;
    String base;
    JdbcTemplate jdbc;

    @BeforeAll
    void start() throws IOException {
        directory = Files.createTempDirectory("outage-tests");
        try (ServerSocket socket = new ServerSocket(0)) {
            databasePort = socket.getLocalPort();
        }
        startDatabase();
        String url = "jdbc:postgresql://localhost:" + databasePort + "/postgres";
        service = new SpringApplicationBuilder(CvdPlannerApplication.class).run("--server.port=0",
                "--spring.datasource.url=" + url, "--spring.datasource.username=postgres",
                "--spring.datasource.password=postgres", "--cvd-planner.jobs.queue=outage-tests",
                "--cvd-planner.jobs.instance-name=outage-a",
                // the pool gives up on a connection quickly, so a request during an outage is a prompt 503
                "--spring.datasource.hikari.connection-timeout=2000");
        base = "http://localhost:" + service.getEnvironment().getProperty("local.server.port");
        jdbc = new JdbcTemplate(new DriverManagerDataSource(url, "postgres", "postgres"));
    }

    @AfterAll
    void stop() throws IOException {
        if (service != null) {
            service.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        FileSystemUtils.deleteRecursively(directory);
    }

    void startDatabase() throws IOException {
        postgres = EmbeddedPostgres.builder().setDataDirectory(directory.resolve("postgres")).setCleanDataDirectory(false)
                .setPort(databasePort).setServerConfig("max_connections", "100").start();
    }

    @Test
    @Order(1)
    void jobsAndUploadsSurviveADatabaseOutage() throws Exception {
        long datasetId = post("/api/v1/datasets", "application/json", "{\"name\":\"outage\"}").json().get("id").asLong();
        String campaign = post("/api/v1/datasets/" + datasetId + "/simulations", "application/json",
                "{\"count\": 10000, \"seed\": 77}").json().get("id").asString();
        await("the campaign past its first chunks", Duration.ofMinutes(3), () -> count(datasetId) >= 1000);

        Outage first = outage(datasetId, "campaign");
        await("campaign SUCCEEDED", Duration.ofMinutes(5), () -> finished(campaign));
        JsonNode campaignJob = get("/api/v1/jobs/" + campaign).json();
        first.retryRejectedUploads();

        // NADE training on the campaign's profiles, with the database gone mid-training
        String training = post("/api/v1/jobs/nade-training", "application/json", "{\"datasetId\": " + datasetId
                + ", \"epochs\": 4, \"batchSize\": 256, \"nd4jThreads\": 1, \"seed\": 5}").json().get("id").asString();
        await("training into its first epoch", Duration.ofMinutes(5), () -> {
            JsonNode job = get("/api/v1/jobs/" + training).json();
            return "RUNNING".equals(job.get("status").asString()) && job.path("progress").path("done").asLong() >= 1
                    || job.get("status").asString().equals("SUCCEEDED");
        });
        Outage second = outage(datasetId, "NADE training");
        await("training SUCCEEDED", Duration.ofMinutes(10), () -> finished(training));
        JsonNode trainingJob = get("/api/v1/jobs/" + training).json();
        second.retryRejectedUploads();

        long campaignProfiles = jdbc.queryForObject("select count(*) from profile where dataset_id = ? and external_id not like 'outage-%'",
                Long.class, datasetId);
        long distinct = jdbc.queryForObject("select count(distinct external_id) from profile where dataset_id = ?", Long.class, datasetId);
        long uploaded = first.uploadedProfiles + second.uploadedProfiles;
        String md = "## Database outages (PostgreSQL stopped for " + OUTAGE.toSeconds() + " s, twice)\n\n"
                + "| outage during | requests while down (status: count) | readiness while down | job after | attempts | handed back | dead runs |\n"
                + "|---|---|---|---|---|---|---|\n"
                + first.row(campaignJob) + second.row(trainingJob)
                + "\nCampaign profiles stored: " + campaignProfiles + " of 10000 (no duplicates: " + distinct + " distinct ids of "
                + count(datasetId) + "); uploads rejected with 503 while down and sent again after: "
                + (first.rejected + second.rejected) + ", all stored (" + uploaded + " profiles). "
                + "**Outage trials: 2; jobs failed: " + (failed(campaignJob) + failed(trainingJob)) + "; 5xx other than 503: "
                + (first.otherFiveHundreds + second.otherFiveHundreds) + ".**\n";
        RobustnessReport.section("30-outage", md);

        assertThat(campaignJob.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(trainingJob.get("status").asString()).isEqualTo("SUCCEEDED");
        for (JsonNode job : List.of(campaignJob, trainingJob)) {
            assertThat(job.get("attempts").asInt() - releases(job)).as("no run counted as dead").isEqualTo(1);
        }
        assertThat(campaignProfiles).isEqualTo(10_000);
        assertThat(distinct).isEqualTo(count(datasetId)).isEqualTo(10_000 + uploaded);
        for (Outage o : List.of(first, second)) {
            assertThat(o.otherFiveHundreds).isZero();
            assertThat(o.statuses).containsKey(503);
            assertThat(o.readinessDown).isPositive();
            assertThat(o.retryAfterMissing).isZero();
        }
    }

    @Test
    @Order(2)
    void a256MegabyteUploadStreamsWithBoundedHeapAndTenThousandProfilesComeCloseToCopy() throws Exception {
        long datasetId = post("/api/v1/datasets", "application/json", "{\"name\":\"big\"}").json().get("id").asLong();
        // about 256 MB of CSV: profiles of 20 rows, generated while sent
        long targetBytes = 250L * 1024 * 1024;
        int profiles = (int) (targetBytes / csvProfile(0, new Random(0)).replace("p0,", "big-100000,").length());
        System.gc();
        long before = usedHeap();
        long started = System.nanoTime();
        TestHttp.Response big;
        long peak;
        CsvBody[] bigBody = new CsvBody[1];
        try (RobustnessReport.HeapSampler heap = new RobustnessReport.HeapSampler()) {
            TestHttp http = TestHttp.at(base);
            big = http.send(http.request("/api/v1/datasets/" + datasetId + "/profiles").header("Content-Type", "text/csv")
                    .timeout(Duration.ofMinutes(10))
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> bigBody[0] = new CsvBody("big-", profiles))).build());
            peak = heap.peakMiB();
        }
        double bigSeconds = (System.nanoTime() - started) / 1e9;
        assertThat(big.status()).as(big.body()).isEqualTo(201);
        assertThat(big.json().get("created").asInt()).isEqualTo(profiles);

        // 10,000 profiles: HTTP upload next to COPY of the same rows (as psql \copy sends them)
        long small = post("/api/v1/datasets", "application/json", "{\"name\":\"speed\"}").json().get("id").asLong();
        String csv = HEADER + new String(new CsvBody("speed-", 10_000).readAllBytes(), StandardCharsets.UTF_8).substring(HEADER.length());
        List<Double> httpSeconds = new ArrayList<>();
        List<Double> copySeconds = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://localhost:" + databasePort + "/postgres",
                "postgres", "postgres")) {
            connection.createStatement().execute("create table copy_rows (profile_id text, t int, temperature_k float8, "
                    + "s2 float8, h2 float8, h2s float8, phase_2h float8, phase_1t float8, phase_defect float8)");
            for (int run = 0; run < 3; run++) {
                jdbc.update("delete from profile where dataset_id = ?", small);
                long t0 = System.nanoTime();
                TestHttp.Response r = post("/api/v1/datasets/" + small + "/profiles", "text/csv", csv);
                httpSeconds.add((System.nanoTime() - t0) / 1e9);
                assertThat(r.status()).as(r.body()).isEqualTo(201);
                connection.createStatement().execute("truncate copy_rows");
                long t1 = System.nanoTime();
                connection.unwrap(PGConnection.class).getCopyAPI()
                        .copyIn("COPY copy_rows FROM STDIN (FORMAT csv, HEADER)", new StringReader(csv));
                copySeconds.add((System.nanoTime() - t1) / 1e9);
            }
        }
        double httpMedian = median(httpSeconds);
        double copyMedian = median(copySeconds);
        String md = String.format(Locale.ROOT, """
                ## Large uploads

                A %.0f MB CSV upload (%d profiles, %d rows) streamed in %.1f s: 201, all stored. Used heap of the test JVM
                (service included) %d MiB before, **peak %d MiB during** (the body is never held whole; profiles go to the
                database as they are read).

                10,000 profiles (200,000 CSV rows, %.1f MB) over HTTP vs COPY of the same rows into a table over JDBC (what
                `psql \\copy` does), same database, three runs each alternating: HTTP median **%.2f s** (%s), COPY median
                **%.2f s** (%s): **%.2f× COPY** (target ≤ 2×).
                """, bigBody[0].sent / 1048576.0, profiles, profiles * 20L, bigSeconds, before / (1 << 20), peak,
                csv.length() / 1048576.0, httpMedian, format(httpSeconds), copyMedian, format(copySeconds), httpMedian / copyMedian);
        RobustnessReport.section("40-large-uploads", md);
        assertThat(count(small)).isEqualTo(10_000);
    }

    /** One outage: stops the database, probes the service while it is away, starts it again. */
    Outage outage(long datasetId, String during) throws Exception {
        Outage o = new Outage(during, datasetId);
        log("stopping PostgreSQL during " + during);
        postgres.close();
        log("PostgreSQL stopped");
        long end = System.nanoTime() + OUTAGE.toNanos();
        int n = 0;
        while (System.nanoTime() < end) {
            o.record(get("/api/v1/datasets/" + datasetId));
            o.record(get("/api/v1/jobs?limit=5"));
            String body = HEADER + csvProfile(0, new Random(n)).replace("p0,", "outage-" + during.charAt(0) + n + ",");
            TestHttp.Response upload = post("/api/v1/datasets/" + datasetId + "/profiles", "text/csv", body);
            o.record(upload);
            if (upload.status() == 503) {
                o.toRetry.add(body);
            }
            TestHttp.Response readiness = get("/actuator/health/readiness");
            if (readiness.status() == 503) {
                o.readinessDown++;
            }
            if (get("/actuator/health/liveness").status() != 200) {
                o.livenessDown++;
            }
            n++;
            Thread.sleep(500);
        }
        log("starting PostgreSQL again after " + n + " probe rounds");
        startDatabase();
        log("PostgreSQL started");
        await("readiness UP again", Duration.ofMinutes(2), () -> get("/actuator/health/readiness").status() == 200);
        return o;
    }

    final class Outage {
        final String during;
        final long datasetId;
        final Map<Integer, Integer> statuses = new TreeMap<>();
        final List<String> toRetry = new ArrayList<>();
        int readinessDown;
        int livenessDown;
        int otherFiveHundreds;
        int retryAfterMissing;
        int rejected;
        long uploadedProfiles;

        Outage(String during, long datasetId) {
            this.during = during;
            this.datasetId = datasetId;
        }

        void record(TestHttp.Response r) {
            int status = r.status();
            statuses.merge(status, 1, Integer::sum);
            if (status >= 500 && status != 503) {
                otherFiveHundreds++;
            }
            if (status == 503 && r.headers().firstValue("Retry-After").isEmpty()) {
                retryAfterMissing++;
            }
        }

        void retryRejectedUploads() throws Exception {
            rejected = toRetry.size();
            for (String body : toRetry) {
                TestHttp.Response r = post("/api/v1/datasets/" + datasetId + "/profiles", "text/csv", body);
                while (r.status() == 503) {
                    Thread.sleep(1000);
                    r = post("/api/v1/datasets/" + datasetId + "/profiles", "text/csv", body);
                }
                assertThat(r.status()).as(r.body()).isIn(200, 201);
                uploadedProfiles += r.json().get("created").asLong();
            }
        }

        String row(JsonNode job) {
            return "| " + during + " | " + statuses + " | DOWN in " + readinessDown + " probes (liveness not UP: " + livenessDown
                    + ") | " + job.get("status").asString() + " | " + job.get("attempts").asInt() + " | " + releases(job)
                    + " | " + (job.get("attempts").asInt() - releases(job) - 1) + " |\n";
        }
    }

    int releases(JsonNode job) {
        return jdbc.queryForObject("select releases from job where id = ?::uuid", Integer.class, job.get("id").asString());
    }

    static int failed(JsonNode job) {
        return "SUCCEEDED".equals(job.get("status").asString()) ? 0 : 1;
    }

    boolean finished(String jobId) {
        String status = get("/api/v1/jobs/" + jobId).json().get("status").asString();
        if (status.equals("FAILED") || status.equals("CANCELLED")) {
            throw new AssertionError("job " + jobId + " ended " + status + ": " + get("/api/v1/jobs/" + jobId).body());
        }
        return status.equals("SUCCEEDED");
    }

    long count(long datasetId) {
        return jdbc.queryForObject("select count(*) from profile where dataset_id = ?", Long.class, datasetId);
    }

    static String csvProfile(int index, Random random) {
        StringBuilder s = new StringBuilder();
        for (int t = 0; t < 20; t++) {
            double a = random.nextDouble();
            double b = (1 - a) * random.nextDouble();
            s.append(String.format(Locale.ROOT, "p%d,%d,%d,%d,%d,%d,%.6f,%.6f,%.6f%n", index, t, 1000 + random.nextInt(2000),
                    20 + random.nextInt(200), 20 + random.nextInt(200), 20 + random.nextInt(150), a, b, 1 - a - b));
        }
        return s.toString();
    }

    /** A CSV body of {@code profiles} profiles generated as it is read (never held whole). */
    static final class CsvBody extends InputStream {
        private final String prefix;
        private final int profiles;
        private final Random random = new Random(42);
        private byte[] chunk = HEADER.getBytes(StandardCharsets.UTF_8);
        private int position;
        private int next;
        long sent;

        CsvBody(String prefix, int profiles) {
            this.prefix = prefix;
            this.profiles = profiles;
        }

        @Override
        public int read() {
            if (!fill()) {
                return -1;
            }
            sent++;
            return chunk[position++] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (!fill()) {
                return -1;
            }
            int n = Math.min(length, chunk.length - position);
            System.arraycopy(chunk, position, buffer, offset, n);
            position += n;
            sent += n;
            return n;
        }

        private boolean fill() {
            while (position == chunk.length) {
                if (next == profiles) {
                    return false;
                }
                StringBuilder block = new StringBuilder();
                for (int i = 0; i < 50 && next < profiles; i++, next++) {
                    block.append(csvProfile(next, random).replace("p" + next + ",", prefix + next + ","));
                }
                chunk = block.toString().getBytes(StandardCharsets.UTF_8);
                position = 0;
            }
            return true;
        }
    }

    static void log(String message) {
        System.out.println(java.time.Instant.now() + " outage test: " + message);
    }

    static long usedHeap() {
        return Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    static String format(List<Double> values) {
        return String.join(", ", values.stream().map(v -> String.format(Locale.ROOT, "%.2f", v)).toList());
    }

    TestHttp.Response get(String path) {
        return TestHttp.at(base).withTimeout(Duration.ofSeconds(30)).get(path);
    }

    TestHttp.Response post(String path, String contentType, String body) {
        return TestHttp.at(base).send("POST", path, contentType, body);
    }
}
