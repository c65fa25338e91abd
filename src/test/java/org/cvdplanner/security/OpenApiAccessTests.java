package org.cvdplanner.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import org.cvdplanner.testkit.SecuredServiceTest;
import org.cvdplanner.testkit.TestHttp;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Walks every operation of the OpenAPI document and calls it three times: without a key (401),
 * with a key holding every scope but the one it needs (403), and with a key holding only that
 * scope (not 401/403; 2xx where the table gives a request that should succeed). The expected
 * scopes are written out here, independently of the service's own table, and an operation that
 * is missing here fails the test.
 */
@SecuredServiceTest
class OpenApiAccessTests {

    private static final String OPEN = "open";

    /** "METHOD path-template" -> the scope it needs; a new endpoint must be added here. */
    private static final Map<String, String> EXPECTED = new TreeMap<>(Map.ofEntries(
            Map.entry("GET /api/v1/datasets", "read"),
            Map.entry("POST /api/v1/datasets", "write"),
            Map.entry("GET /api/v1/datasets/{id}", "read"),
            Map.entry("DELETE /api/v1/datasets/{id}", "write"),
            Map.entry("POST /api/v1/datasets/{datasetId}/profiles", "write"),
            Map.entry("GET /api/v1/datasets/{datasetId}/profiles", "read"),
            Map.entry("GET /api/v1/datasets/{datasetId}/profiles/{externalId}", "read"),
            Map.entry("GET /api/v1/datasets/{datasetId}/profiles/export", "read"),
            Map.entry("POST /api/v1/datasets/{datasetId}/simulations", "train"),
            Map.entry("POST /api/v1/simulations/runs", "read"),
            Map.entry("POST /api/v1/jobs/diagnostic-counter", "train"),
            Map.entry("POST /api/v1/jobs/nade-training", "train"),
            Map.entry("POST /api/v1/jobs/agent-training", "train"),
            Map.entry("GET /api/v1/jobs", "read"),
            Map.entry("GET /api/v1/jobs/{id}", "read"),
            Map.entry("POST /api/v1/jobs/{id}/cancel", "train"),
            Map.entry("GET /api/v1/jobs/{id}/events", "read"),
            Map.entry("GET /api/v1/models", "read"),
            Map.entry("GET /api/v1/models/{id}", "read"),
            Map.entry("PUT /api/v1/models/{id}/default", "train"),
            Map.entry("POST /api/v1/models/{id}/predictions", "read"),
            Map.entry("GET /api/v1/agents", "read"),
            Map.entry("GET /api/v1/agents/{id}", "read"),
            Map.entry("POST /api/v1/agents/{id}/proposals", "write"),
            Map.entry("GET /api/v1/agents/{id}/proposals", "read"), Map.entry("GET /api/v1/proposals", "read"),
            Map.entry("GET /api/v1/agents/{id}/analyses/initial-s2", "read"),
            Map.entry("GET /api/v1/proposals/{id}", "read"),
            Map.entry("GET /api/v1/proposals/{id}/recipe.csv", "read"),
            Map.entry("GET /api/v1/proposals/{id}/recipe.json", "read"),
            Map.entry("POST /api/v1/proposals/{id}/validations", "write"),
            Map.entry("GET /api/v1/proposals/{id}/validations", "read"),
            Map.entry("GET /api/v1/proposals/{id}/validations/{validationId}", "read"),
            Map.entry("GET /api/v1/proposals/{id}/phase-order", "read"),
            Map.entry("GET /api/v1/proposals/{id}/plot.png", "read"),
            Map.entry("GET /api/v1/proposals/{id}/plot.svg", "read"),
            Map.entry("POST /api/v1/api-keys", "admin"),
            Map.entry("GET /api/v1/api-keys", "admin"),
            Map.entry("GET /api/v1/api-keys/{id}", "admin"),
            Map.entry("DELETE /api/v1/api-keys/{id}", "admin"),
            Map.entry("POST /api/v1/proposals/{id}/lab-results", "write"),
            Map.entry("GET /api/v1/proposals/{id}/lab-results", "read"),
            Map.entry("GET /api/v1/agents/{id}/lab-results", "read"),
            Map.entry("GET /api/v1/lab-results/{id}", "read"),
            Map.entry("POST /api/v1/webhooks", "admin"),
            Map.entry("GET /api/v1/webhooks", "admin"),
            Map.entry("GET /api/v1/webhooks/{id}", "admin"),
            Map.entry("DELETE /api/v1/webhooks/{id}", "admin"),
            Map.entry("GET /api/v1/webhooks/{id}/deliveries", "admin"),
            Map.entry("POST /api/v1/webhooks/deliveries/{deliveryId}/redeliver", "admin")));

    @LocalServerPort
    int port;

    record Call(String path, String body, boolean mustSucceed) {
    }

    @Test
    void everyOperationAnswers401WithoutAKey403WithoutItsScopeAndPassesWithIt() {
        TestHttp http = TestHttp.at(port);
        String admin = SecuredServiceTest.ADMIN_KEY;
        Map<String, String> only = new LinkedHashMap<>();
        Map<String, String> allBut = new LinkedHashMap<>();
        for (String scope : List.of("read", "write", "train")) {
            only.put(scope, key(http, admin, "only " + scope, List.of(scope)));
            allBut.put(scope, key(http, admin, "all but " + scope,
                    List.of("read", "write", "train").stream().filter(s -> !s.equals(scope)).toList()));
        }
        allBut.put("admin", key(http, admin, "all but admin", List.of("read", "write", "train")));
        only.put("admin", admin);

        // fixtures, so most operations can answer 2xx
        long dataset = http.withKey(admin).post("/api/v1/datasets", "{\"name\":\"access walk\",\"stepCount\":2}").json().get("id").asLong();
        var upload = http.withKey(admin).send("POST", "/api/v1/datasets/" + dataset + "/profiles", "application/json", profile("p1"));
        assertThat(upload.status()).as(upload.body()).isEqualTo(201);
        String job = http.withKey(admin).post("/api/v1/jobs/diagnostic-counter", "{\"target\": 1, \"stepDelayMs\": 1}").json().get("id").asString();
        Supplier<String> runningJob = () -> http.withKey(admin).post("/api/v1/jobs/diagnostic-counter", "{\"target\": 100000, \"stepDelayMs\": 100}").json().get("id").asString();
        Supplier<String> freshDataset = () -> http.withKey(admin).post("/api/v1/datasets", "{\"name\":\"to delete\"}").json().get("id").asString();
        Supplier<String> freshKeyId = () -> keyId(http, admin, "to revoke");
        String aKeyId = keyId(http, admin, "to read");
        String none = "00000000-0000-0000-0000-000000000000";
        String hook = "{\"url\":\"https://lims.example.org/hooks\",\"eventTypes\":[\"job.succeeded\"]}";
        String webhook = http.withKey(admin).post("/api/v1/webhooks", hook).json().get("id").asString();
        Supplier<String> freshWebhook = () -> http.withKey(admin).post("/api/v1/webhooks", hook).json().get("id").asString();
        Map<String, Supplier<Call>> calls = Map.ofEntries(
                Map.entry("POST /api/v1/datasets", () -> new Call("/api/v1/datasets", "{\"name\":\"walk\"}", true)),
                Map.entry("GET /api/v1/datasets/{id}", () -> new Call("/api/v1/datasets/" + dataset, null, true)),
                Map.entry("DELETE /api/v1/datasets/{id}", () -> new Call("/api/v1/datasets/" + freshDataset.get(), null, true)),
                Map.entry("POST /api/v1/datasets/{datasetId}/profiles", () -> new Call("/api/v1/datasets/" + dataset + "/profiles", profile("p2"), true)),
                Map.entry("GET /api/v1/datasets/{datasetId}/profiles", () -> new Call("/api/v1/datasets/" + dataset + "/profiles", null, true)),
                Map.entry("GET /api/v1/datasets/{datasetId}/profiles/{externalId}", () -> new Call("/api/v1/datasets/" + dataset + "/profiles/p1", null, true)),
                Map.entry("GET /api/v1/datasets/{datasetId}/profiles/export", () -> new Call("/api/v1/datasets/" + dataset + "/profiles/export", null, true)),
                // an invalid request: it must pass the access check, but starts no campaign
                Map.entry("POST /api/v1/datasets/{datasetId}/simulations", () -> new Call("/api/v1/datasets/" + dataset + "/simulations", "{\"profiles\": 0}", false)),
                Map.entry("POST /api/v1/simulations/runs", () -> new Call("/api/v1/simulations/runs", "{\"seed\": 1}", false)),
                Map.entry("POST /api/v1/jobs/diagnostic-counter", () -> new Call("/api/v1/jobs/diagnostic-counter", "{\"target\": 1, \"stepDelayMs\": 1}", true)),
                Map.entry("POST /api/v1/jobs/nade-training", () -> new Call("/api/v1/jobs/nade-training", "{\"datasetIds\": []}", false)),
                Map.entry("POST /api/v1/jobs/agent-training", () -> new Call("/api/v1/jobs/agent-training", "{}", false)),
                Map.entry("GET /api/v1/jobs/{id}", () -> new Call("/api/v1/jobs/" + job, null, true)),
                Map.entry("POST /api/v1/jobs/{id}/cancel", () -> new Call("/api/v1/jobs/" + runningJob.get() + "/cancel", null, true)),
                Map.entry("GET /api/v1/jobs/{id}/events", () -> new Call("/api/v1/jobs/" + job + "/events", null, true)),
                Map.entry("POST /api/v1/api-keys", () -> new Call("/api/v1/api-keys", "{\"name\":\"walk\",\"scopes\":[\"read\"]}", true)),
                Map.entry("GET /api/v1/api-keys/{id}", () -> new Call("/api/v1/api-keys/" + aKeyId, null, true)),
                Map.entry("DELETE /api/v1/api-keys/{id}", () -> new Call("/api/v1/api-keys/" + freshKeyId.get(), null, true)),
                Map.entry("POST /api/v1/webhooks", () -> new Call("/api/v1/webhooks", hook, true)),
                Map.entry("GET /api/v1/webhooks/{id}", () -> new Call("/api/v1/webhooks/" + webhook, null, true)),
                Map.entry("DELETE /api/v1/webhooks/{id}", () -> new Call("/api/v1/webhooks/" + freshWebhook.get(), null, true)),
                Map.entry("GET /api/v1/webhooks/{id}/deliveries", () -> new Call("/api/v1/webhooks/" + webhook + "/deliveries", null, true)));

        JsonNode paths = http.get("/v3/api-docs").json().get("paths");
        List<String> seen = new ArrayList<>();
        List<String> report = new ArrayList<>();
        int succeeded = 0;
        for (var path : paths.properties()) {
            for (var operation : path.getValue().properties()) {
                String method = operation.getKey().toUpperCase();
                String name = method + " " + path.getKey();
                seen.add(name);
                assertThat(EXPECTED).as("operation %s has no expected scope in this test", name).containsKey(name);
                String scope = EXPECTED.get(name);
                Call call = calls.getOrDefault(name, () -> new Call(path.getKey().replaceAll("\\{[^}]+}", "1"),
                        method.equals("GET") ? null : "{}", method.equals("GET") && !path.getKey().contains("{"))).get();
                if (call.path().contains("/1") && !name.contains("datasets")) {
                    call = new Call(call.path().replace("/1/", "/" + none + "/").replaceAll("/1$", "/" + none),
                            call.body(), call.mustSucceed());
                }
                String type = call.body() == null ? null : "application/json";
                if (scope.equals(OPEN)) {
                    assertThat(http.send(method, call.path(), type, call.body()).status()).as(name).isNotIn(401, 403);
                    continue;
                }
                var anonymous = http.send(method, call.path(), type, call.body());
                assertThat(anonymous.status()).as(name + " without a key").isEqualTo(401);
                assertThat(anonymous.header("Content-Type")).as(name).startsWith("application/problem+json");
                var wrong = http.withKey(allBut.get(scope)).send(method, call.path(), type, call.body());
                assertThat(wrong.status()).as(name + " without scope " + scope).isEqualTo(403);
                assertThat(wrong.json().get("requiredScope").asString()).as(name).isEqualTo(scope);
                var right = http.withKey(only.get(scope)).send(method, call.path(), type, call.body());
                assertThat(right.status()).as(name + " with scope " + scope + ": " + right.body()).isNotIn(401, 403);
                if (call.mustSucceed()) {
                    assertThat(right.status()).as(name + " with scope " + scope + ": " + right.body()).isBetween(200, 299);
                }
                if (right.status() < 300) {
                    succeeded++;
                }
                report.add(name + " [" + scope + "] -> 401/403/" + right.status());
            }
        }
        assertThat(seen).as("operations of the table missing from the OpenAPI document").containsAll(EXPECTED.keySet());
        System.out.println("OpenAPI access walk: " + seen.size() + " operations, " + succeeded
                + " answered 2xx with the right scope\n  " + String.join("\n  ", report));
    }

    private static String profile(String id) {
        return "[{\"externalId\":\"" + id + "\",\"steps\":["
                + "{\"t\":0,\"temperatureK\":900,\"s2\":100,\"h2\":100,\"h2s\":100,\"phase2H\":0.1,\"phase1T\":0.1,\"phaseDefect\":0.8},"
                + "{\"t\":1,\"temperatureK\":950,\"s2\":100,\"h2\":100,\"h2s\":100,\"phase2H\":0.2,\"phase1T\":0.1,\"phaseDefect\":0.7}]}]";
    }

    static String key(TestHttp http, String admin, String name, List<String> scopes) {
        var created = http.withKey(admin).post("/api/v1/api-keys", "{\"name\":\"" + name + "\",\"scopes\":[" + String.join(",", scopes.stream().map(s -> "\"" + s + "\"").toList()) + "]}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("key").asString();
    }

    private static String keyId(TestHttp http, String admin, String name) {
        return http.withKey(admin).post("/api/v1/api-keys", "{\"name\":\"" + name + "\",\"scopes\":[\"read\"]}").json().get("id").asString();
    }
}
