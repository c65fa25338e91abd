package org.cvdplanner.system;

import static org.assertj.core.api.Assertions.assertThat;


import org.cvdplanner.TestDatabaseConfiguration;
import org.cvdplanner.testkit.TestHttp;
import org.cvdplanner.agent.AgentHyperParameters;
import org.cvdplanner.agent.ProposalSettings;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The limits the services check (set here to values other than the defaults) appear in
 * /v3/api-docs as minimum/maximum (minItems/maxItems for arrays) of the fields they bound.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestDatabaseConfiguration.class)
@TestPropertySource(properties = {"cvd-planner.jobs.instance-name=request-limits",
        "cvd-planner.proposals.max-proposals=123", "cvd-planner.simulation.max-replicas=77",
        "cvd-planner.simulation.max-schedules-per-request=31", "cvd-planner.simulation.max-campaign-profiles=54321",
        "cvd-planner.simulation.max-campaign-schedules=999", "cvd-planner.nade.max-rollouts=555",
        "cvd-planner.nade.max-schedules=66", "cvd-planner.agent.max-episodes=4321",
        "cvd-planner.agent.max-analysis-schedules=888"})
class RequestLimitsOpenApiTests {

    @LocalServerPort
    int port;

    JsonNode docs;

    @Test
    void theConfiguredLimitsAreTheDocumentedMinimaAndMaxima() throws Exception {
        TestHttp.Response response = TestHttp.at(port).get("/v3/api-docs");
        assertThat(response.status()).isEqualTo(200);
        docs = response.json();

        String proposals = "/api/v1/agents/{id}/proposals";
        assertBounds(body("post", proposals, "count"), 1, 123);
        assertBounds(body("post", proposals, "rollouts"), 1, ProposalSettings.MAX_ROLLOUTS);
        assertBounds(body("post", "/api/v1/proposals/{id}/validations", "replicas"), 1, 77);

        assertItems(body("post", "/api/v1/simulations/runs", "schedules"), 1, 31);
        assertBounds(body("post", "/api/v1/simulations/runs", "replicas"), 1, 77);
        String campaigns = "/api/v1/datasets/{datasetId}/simulations";
        assertBounds(body("post", campaigns, "count"), 1, 54321);
        assertItems(body("post", campaigns, "schedules"), null, 999);
        assertBounds(body("post", campaigns, "replicasPerSchedule"), 1, 77);

        assertBounds(body("post", "/api/v1/models/{id}/predictions", "rollouts"), 1, 555);
        assertItems(body("post", "/api/v1/models/{id}/predictions", "schedules"), 1, 66);

        String training = "/api/v1/jobs/agent-training";
        assertBounds(body("post", training, "episodes"), 1, 4321);
        assertBounds(body("post", training, "batchSize"), 1, AgentHyperParameters.MAX_BATCH);
        assertBounds(body("post", training, "sigma"), null, 100);
        assertBounds(body("post", training, "learningRate"), null, 1);
        assertBounds(body("post", training, "gamma"), null, 1);
        assertBounds(query("get", "/api/v1/agents/{id}/analyses/initial-s2", "count"), 2, 888);
    }

    JsonNode body(String method, String path, String field) {
        JsonNode operation = docs.path("paths").path(path).path(method);
        assertThat(operation.isMissingNode()).as(method + " " + path).isFalse();
        JsonNode schema = operation.path("requestBody").path("content").path("application/json").path("schema");
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asString();
            schema = docs.path("components").path("schemas").path(ref.substring(ref.lastIndexOf('/') + 1));
        }
        JsonNode property = schema.path("properties").path(field);
        assertThat(property.isMissingNode()).as(method + " " + path + " body field " + field).isFalse();
        return property;
    }

    JsonNode query(String method, String path, String name) {
        for (JsonNode parameter : docs.path("paths").path(path).path(method).path("parameters")) {
            if (parameter.path("name").asString().equals(name)) {
                return parameter.path("schema");
            }
        }
        throw new AssertionError("no parameter " + name + " on " + method + " " + path);
    }

    static void assertBounds(JsonNode schema, Integer minimum, Integer maximum) {
        if (minimum != null) {
            assertThat(schema.path("minimum").asDouble()).as("minimum of %s", schema).isEqualTo(minimum.doubleValue());
        }
        assertThat(schema.path("maximum").isNumber()).as("maximum of %s", schema).isTrue();
        assertThat(schema.path("maximum").asDouble()).as("maximum of %s", schema).isEqualTo(maximum.doubleValue());
    }

    static void assertItems(JsonNode schema, Integer minimum, Integer maximum) {
        if (minimum != null) {
            assertThat(schema.path("minItems").asInt()).as("minItems of %s", schema).isEqualTo(minimum);
        }
        assertThat(schema.path("maxItems").asInt()).as("maxItems of %s", schema).isEqualTo(maximum);
    }
}
