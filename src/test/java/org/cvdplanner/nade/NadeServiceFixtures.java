package org.cvdplanner.nade;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.cvdplanner.profile.Datasets;
import org.cvdplanner.synthesis.ProfileArrays;
import org.cvdplanner.synthesis.SynthesisProfile;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Datasets, HTTP and clean-up for the NADE service tests. */
final class NadeServiceFixtures {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private NadeServiceFixtures() {
    }

    record Response(int status, String body) {
        JsonNode json() {
            return JSON.readTree(body);
        }
    }

    /** A dataset of {@code count} synthetic 20-step profiles. */
    static long dataset(Datasets datasets, String name, int count, long seed) {
        long id = datasets.create(name + "-" + UUID.randomUUID(), "NADE test data", "UPLOAD", 20).id();
        ProfileArrays arrays = SyntheticProfiles.generate(count, 20, seed);
        List<SynthesisProfile> profiles = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            profiles.add(arrays.profile(p));
        }
        datasets.store(id, profiles);
        return id;
    }

    static void clean(JdbcTemplate jdbc, long datasetId) {
        jdbc.update("delete from nade_model where dataset_id = ?", datasetId);
        jdbc.update("delete from dataset where id = ?", datasetId);
    }

    static Response send(String method, String url, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode awaitJob(String base, String jobId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode job = send("GET", base + "/api/v1/jobs/" + jobId, null).json();
            String status = job.get("status").asString();
            if (status.equals("SUCCEEDED") || status.equals("FAILED") || status.equals("CANCELLED")) {
                return job;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("job " + jobId + " still " + status + " after " + timeout);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** A 20-step schedule as JSON; {@code temperature} for every step. */
    static String schedule(double temperature, double s2) {
        return schedule(temperature, s2, 20);
    }

    /** A schedule of {@code steps} steps as JSON: {@code temperature} for steps 0-7, then 2000 K. */
    static String schedule(double temperature, double s2, int steps) {
        StringBuilder b = new StringBuilder("{\"steps\":[");
        for (int t = 0; t < steps; t++) {
            if (t > 0) {
                b.append(',');
            }
            b.append(String.format(java.util.Locale.ROOT, "{\"temperatureK\":%s,\"s2\":%s,\"h2\":100,\"h2s\":100}",
                    t < 8 ? temperature : 2000.0, s2));
        }
        return b.append("]}").toString();
    }
}
