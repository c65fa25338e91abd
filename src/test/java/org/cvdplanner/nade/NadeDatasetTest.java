package org.cvdplanner.nade;

import org.cvdplanner.profile.Datasets;
import org.cvdplanner.testkit.TestHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/** What the NADE HTTP tests share: a dataset of 60 synthetic profiles per test, removed with its jobs and models after it. */
abstract class NadeDatasetTest {

    private final String datasetName;
    private final long datasetSeed;

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    Datasets datasets;

    TestHttp http;
    long datasetId;

    NadeDatasetTest(String datasetName, long datasetSeed) {
        this.datasetName = datasetName;
        this.datasetSeed = datasetSeed;
    }

    @BeforeEach
    void createDataset() {
        http = TestHttp.at(port).withTimeout(java.time.Duration.ofSeconds(60));
        datasetId = NadeServiceFixtures.dataset(datasets, datasetName, 60, datasetSeed);
    }

    @AfterEach
    void removeDataset() {
        jdbc.update("delete from job where type = 'nade-training' and (parameters->>'datasetId')::bigint = ?", datasetId);
        NadeServiceFixtures.clean(jdbc, datasetId);
    }
}
