package org.cvdplanner.profile;

import static org.assertj.core.api.Assertions.assertThat;

import org.cvdplanner.testkit.TestHttp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/** What the upload tests share: a fresh dataset over HTTP before each test, and its profile count. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DatasetUploadTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    TestHttp http;
    long datasetId;

    @BeforeEach
    void newDataset() {
        http = TestHttp.at(port);
        datasetId = createDataset();
    }

    long createDataset() {
        TestHttp.Response created = http.post("/api/v1/datasets", "{\"name\":\"upload tests\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asLong();
    }

    String profiles() {
        return "/api/v1/datasets/" + datasetId + "/profiles";
    }

    long stored() {
        return jdbc.queryForObject("select count(*) from profile where dataset_id = ?", Long.class, datasetId);
    }

    static JsonNode json(TestHttp.Response response) {
        return response.json();
    }
}
