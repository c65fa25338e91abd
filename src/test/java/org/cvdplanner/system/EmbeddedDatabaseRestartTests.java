package org.cvdplanner.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import org.cvdplanner.CvdPlannerApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The zero-configuration default: no datasource URL → an embedded PostgreSQL whose data
 * directory survives a restart of the service.
 */
class EmbeddedDatabaseRestartTests {

    @TempDir
    Path dataDirectory;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void profilesUploadedBeforeARestartAreThereAfterIt() throws Exception {
        String datasetId;
        try (ConfigurableApplicationContext first = start()) {
            String base = base(first);
            HttpResponse<String> created = post(base + "/api/v1/datasets", "application/json", "{\"name\":\"survivor\"}");
            assertThat(created.statusCode()).isEqualTo(201);
            datasetId = created.headers().firstValue("Location").orElseThrow().replaceAll(".*/", "");
            StringBuilder csv = new StringBuilder("profile_id,t,temperature_k,s2,h2,h2s,phase_2h,phase_1t,phase_defect\n");
            for (int t = 0; t < 20; t++) {
                csv.append("kept,").append(t).append(",3000,30,100,100,0,0,1\n");
            }
            assertThat(post(base + "/api/v1/datasets/" + datasetId + "/profiles", "text/csv", csv.toString()).statusCode())
                    .isEqualTo(201);
        }
        try (ConfigurableApplicationContext second = start()) {
            HttpResponse<String> profile = http.send(HttpRequest.newBuilder(
                    URI.create(base(second) + "/api/v1/datasets/" + datasetId + "/profiles/kept")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(profile.statusCode()).isEqualTo(200);
            assertThat(profile.body()).contains("\"externalId\":\"kept\"");
        }
    }

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(CvdPlannerApplication.class).run(
                "--server.port=0",
                "--cvd-planner.embedded-database.enabled=true",
                "--cvd-planner.embedded-database.data-directory=" + dataDirectory.resolve("postgres"),
                "--cvd-planner.demo.enabled=false");
    }

    private static String base(ConfigurableApplicationContext context) {
        return "http://localhost:" + context.getEnvironment().getProperty("local.server.port");
    }

    private HttpResponse<String> post(String url, String type, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
