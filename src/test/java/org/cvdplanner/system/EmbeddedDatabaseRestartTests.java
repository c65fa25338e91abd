package org.cvdplanner.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.cvdplanner.CvdPlannerApplication;
import org.cvdplanner.testkit.TestHttp;
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

    @Test
    void profilesUploadedBeforeARestartAreThereAfterIt() throws Exception {
        String datasetId;
        try (ConfigurableApplicationContext first = start()) {
            TestHttp http = http(first);
            TestHttp.Response created = http.post("/api/v1/datasets", "{\"name\":\"survivor\"}");
            assertThat(created.status()).isEqualTo(201);
            datasetId = created.header("Location").replaceAll(".*/", "");
            StringBuilder csv = new StringBuilder("profile_id,t,temperature_k,s2,h2,h2s,phase_2h,phase_1t,phase_defect\n");
            for (int t = 0; t < 20; t++) {
                csv.append("kept,").append(t).append(",3000,30,100,100,0,0,1\n");
            }
            assertThat(http.send("POST", "/api/v1/datasets/" + datasetId + "/profiles", "text/csv", csv.toString()).status())
                    .isEqualTo(201);
        }
        try (ConfigurableApplicationContext second = start()) {
            TestHttp.Response profile = http(second).get("/api/v1/datasets/" + datasetId + "/profiles/kept");
            assertThat(profile.status()).isEqualTo(200);
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

    private static TestHttp http(ConfigurableApplicationContext context) {
        return TestHttp.at("http://localhost:" + context.getEnvironment().getProperty("local.server.port"));
    }
}
