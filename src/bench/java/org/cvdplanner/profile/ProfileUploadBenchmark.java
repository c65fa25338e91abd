package org.cvdplanner.profile;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.cvdplanner.CvdPlannerApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Uploads 10,000 profiles (200,000 steps) over HTTP as CSV and as JSON into fresh datasets and
 * reports the time until the 201 (the transaction committed), first next to COPY of the same CSV
 * rows into a plain table (alternating runs; {@code -Dbench.copyOnly=true} stops there), then the
 * time to load a dataset back into training arrays. Runs the real service on an embedded PostgreSQL in a temp dir.
 *
 * <pre>./mvnw -B -q -Pbench test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.cvdplanner.profile.ProfileUploadBenchmark [-Dexec.args="10000 5"]</pre>
 */
public final class ProfileUploadBenchmark {

    public static void main(String[] args) throws Exception {
        int profiles = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path data = Files.createTempDirectory("cvd-bench");
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(CvdPlannerApplication.class).run(
                "--server.port=0", "--cvd-planner.embedded-database.enabled=true",
                "--cvd-planner.embedded-database.data-directory=" + data.resolve("postgres"),
                "--cvd-planner.demo.enabled=false", "--logging.level.root=WARN")) {
            String base = "http://localhost:" + app.getEnvironment().getProperty("local.server.port");
            HttpClient http = HttpClient.newHttpClient();
            List<String> ids = ProfileFixtures.ids("bench", profiles);
            String csv = ProfileFixtures.csv(ids, 1);
            String json = ProfileFixtures.jsonArray(ids, 1);
            DatasetService service = app.getBean(DatasetService.class);
            System.out.printf("cvd-planner profile upload benchmark: %d profiles x 20 steps, %d timed runs after 1 warm-up%n",
                    profiles, runs);
            System.out.printf("bodies: CSV %.1f MB, JSON %.1f MB; cores: %d%n", csv.length() / 1e6, json.length() / 1e6,
                    Runtime.getRuntime().availableProcessors());
            long lastDataset = 0;
            // the upload next to COPY of the same CSV rows into a plain table (what psql \copy does), alternating
            List<Double> copySeconds = new ArrayList<>();
            List<Double> httpSeconds = new ArrayList<>();
            javax.sql.DataSource dataSource = app.getBean(javax.sql.DataSource.class);
            try (java.sql.Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(true);
                connection.createStatement().execute("create table if not exists copy_rows (profile_id text, t int, "
                        + "temperature_k float8, s2 float8, h2 float8, h2s float8, phase_2h float8, phase_1t float8, phase_defect float8)");
                for (int run = 0; run <= runs + 1; run++) {
                    long dataset = service.create("bench copy " + run, null, "BENCH", 20).id();
                    long start = System.nanoTime();
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create(base + "/api/v1/datasets/" + dataset + "/profiles")).header("Content-Type", "text/csv")
                            .POST(HttpRequest.BodyPublishers.ofString(csv)).build(), HttpResponse.BodyHandlers.ofString());
                    double h = (System.nanoTime() - start) / 1e9;
                    if (response.statusCode() != 201) {
                        throw new IllegalStateException(response.statusCode() + " " + response.body());
                    }
                    connection.createStatement().execute("truncate copy_rows");
                    start = System.nanoTime();
                    connection.unwrap(org.postgresql.PGConnection.class).getCopyAPI()
                            .copyIn("COPY copy_rows FROM STDIN (FORMAT csv, HEADER)", new java.io.StringReader(csv));
                    double c = (System.nanoTime() - start) / 1e9;
                    if (run > 1) { // two warm-up rounds: the parser is not compiled after one
                        httpSeconds.add(h);
                        copySeconds.add(c);
                    }
                }
            }
            System.out.printf("CSV over HTTP median %.3f s %s; COPY of the same rows median %.3f s %s; ratio of medians %.2f%n",
                    median(httpSeconds), format(httpSeconds), median(copySeconds), format(copySeconds),
                    median(httpSeconds) / median(copySeconds));
            if (Boolean.getBoolean("bench.copyOnly")) {
                return;
            }
            for (String format : List.of("text/csv", "application/json")) {
                String body = format.equals("text/csv") ? csv : json;
                List<Double> seconds = new ArrayList<>();
                for (int run = 0; run <= runs; run++) {
                    long dataset = service.create("bench " + format + " " + run, null, "BENCH", 20).id();
                    long start = System.nanoTime();
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create(base + "/api/v1/datasets/" + dataset + "/profiles")).header("Content-Type", format)
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                    double s = (System.nanoTime() - start) / 1e9;
                    if (response.statusCode() != 201) {
                        throw new IllegalStateException(response.statusCode() + " " + response.body());
                    }
                    if (run > 0) {
                        seconds.add(s);
                    }
                    lastDataset = dataset;
                }
                double median = median(seconds);
                System.out.printf("upload %-16s median %.3f s (%.0f profiles/s), runs %s%n", format, median, profiles / median,
                        format(seconds));
            }
            List<Double> loads = new ArrayList<>();
            for (int run = 0; run <= runs; run++) {
                long start = System.nanoTime();
                var arrays = service.loadArrays(lastDataset);
                double s = (System.nanoTime() - start) / 1e9;
                if (arrays.profileCount() != profiles) {
                    throw new IllegalStateException("loaded " + arrays.profileCount());
                }
                if (run > 0) {
                    loads.add(s);
                }
            }
            System.out.printf("load %d profiles into training arrays: median %.3f s, runs %s%n", profiles, median(loads), format(loads));
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String format(List<Double> values) {
        return values.stream().map(v -> String.format("%.3f", v)).toList().toString();
    }
}
