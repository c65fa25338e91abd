package org.cvdplanner.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.cvdplanner.testkit.SecuredServiceTest;
import org.cvdplanner.testkit.TestHttp;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/** Keys: created, used, refused, revoked, expired; what is open; what is stored; CORS; first run. */
@SecuredServiceTest
class ApiKeyTests {

    private static final String ADMIN = SecuredServiceTest.ADMIN_KEY;

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    FirstRunAdminKey firstRun;

    TestHttp http(String key) {
        return TestHttp.at(port).withKey(key);
    }

    @Test
    void aKeyIsShownOnceAndOnlyItsHashIsStored() {
        var created = http(ADMIN).post("/api/v1/api-keys", "{\"name\":\"lims\",\"scopes\":[\"read\",\"write\"]}");
        assertThat(created.status()).isEqualTo(201);
        String key = created.json().get("key").asString();
        String id = created.json().get("id").asString();
        assertThat(key).startsWith("cvdp_").hasSizeGreaterThan(40);
        assertThat(created.header("Location")).isEqualTo("/api/v1/api-keys/" + id);
        assertThat(created.json().get("scopes").toString()).isEqualTo("[\"read\",\"write\"]");

        // no column of any row holds the key; the hash is SHA-256 of it
        Integer holding = jdbc.queryForObject("select count(*) from api_key t where t::text like ?", Integer.class,
                "%" + key.substring(5) + "%");
        assertThat(holding).isZero();
        assertThat(jdbc.queryForObject("select key_hash from api_key where id = ?::uuid", String.class, id))
                .isEqualTo(ApiKeys.hash(key));
        var shown = http(ADMIN).get("/api/v1/api-keys/" + id);
        assertThat(shown.body()).doesNotContain(key).contains("\"prefix\":\"" + key.substring(0, 12) + "\"");
        assertThat(http(ADMIN).get("/api/v1/api-keys").body()).doesNotContain(key);

        // both headers work, and use is recorded
        assertThat(http(key).get("/api/v1/datasets").status()).isEqualTo(200);
        assertThat(http(null).send("GET", "/api/v1/datasets", null, null, "X-API-Key", key).status()).isEqualTo(200);
        assertThat(http(ADMIN).get("/api/v1/api-keys/" + id).json().get("lastUsedAt").isNull()).isFalse();
    }

    @Test
    void unknownRevokedAndExpiredKeysAre401NamingTheHeader() {
        var unknown = http("cvdp_not-a-key").get("/api/v1/datasets");
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.header("Content-Type")).startsWith("application/problem+json");
        assertThat(unknown.json().get("field").asString()).isEqualTo("Authorization");
        assertThat(unknown.json().get("detail").asString()).contains("not known");
        var viaHeader = http(null).send("GET", "/api/v1/datasets", null, null, "X-API-Key", "wrong");
        assertThat(viaHeader.status()).isEqualTo(401);
        assertThat(viaHeader.json().get("field").asString()).isEqualTo("X-API-Key");
        // a bad key is refused even on an open endpoint: the caller should learn its key is wrong
        assertThat(http("cvdp_not-a-key").get("/actuator/health").status()).isEqualTo(401);

        var created = http(ADMIN).post("/api/v1/api-keys", "{\"name\":\"short-lived\",\"scopes\":[\"read\"]}").json();
        String key = created.get("key").asString();
        String id = created.get("id").asString();
        assertThat(http(key).get("/api/v1/datasets").status()).isEqualTo(200);
        assertThat(http(ADMIN).send("DELETE", "/api/v1/api-keys/" + id, null, null).status()).isEqualTo(204);
        var revoked = http(key).get("/api/v1/datasets");
        assertThat(revoked.status()).isEqualTo(401);
        assertThat(revoked.json().get("detail").asString()).contains("revoked");
        assertThat(http(ADMIN).get("/api/v1/api-keys").body()).doesNotContain(id);
        assertThat(http(ADMIN).get("/api/v1/api-keys?includeRevoked=true").body()).contains(id);

        var expiring = http(ADMIN).post("/api/v1/api-keys", "{\"name\":\"expiring\",\"scopes\":[\"read\"],\"expiresAt\":\""
                + Instant.now().plusSeconds(3600) + "\"}").json();
        assertThat(http(expiring.get("key").asString()).get("/api/v1/datasets").status()).isEqualTo(200);
        jdbc.update("update api_key set expires_at = now() - interval '1 second' where id = ?::uuid", expiring.get("id").asString());
        var expired = http(expiring.get("key").asString()).get("/api/v1/datasets");
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.json().get("detail").asString()).contains("expired");
    }

    @Test
    void badKeyRequestsAre400NamingTheFieldAndStoreNothing() {
        Integer before = jdbc.queryForObject("select count(*) from api_key", Integer.class);
        var unknownScope = http(ADMIN).post("/api/v1/api-keys", "{\"name\":\"x\",\"scopes\":[\"read\",\"root\"]}");
        assertThat(unknownScope.status()).isEqualTo(400);
        assertThat(unknownScope.json().get("field").asString()).isEqualTo("scopes");
        assertThat(unknownScope.json().get("detail").asString()).contains("root");
        var noScopes = http(ADMIN).post("/api/v1/api-keys", "{\"name\":\"x\",\"scopes\":[]}");
        assertThat(noScopes.status()).isEqualTo(400);
        assertThat(noScopes.json().get("field").asString()).isEqualTo("scopes");
        var past = http(ADMIN).post("/api/v1/api-keys", "{\"name\":\"x\",\"scopes\":[\"read\"],\"expiresAt\":\"2020-01-01T00:00:00Z\"}");
        assertThat(past.status()).isEqualTo(400);
        assertThat(past.json().get("field").asString()).isEqualTo("expiresAt");
        var noName = http(ADMIN).post("/api/v1/api-keys", "{\"scopes\":[\"read\"]}");
        assertThat(noName.status()).isEqualTo(400);
        assertThat(noName.json().get("field").asString()).isEqualTo("name");
        assertThat(jdbc.queryForObject("select count(*) from api_key", Integer.class)).isEqualTo(before);
        var unknownId = http(ADMIN).send("DELETE", "/api/v1/api-keys/00000000-0000-0000-0000-000000000000", null, null);
        assertThat(unknownId.status()).isEqualTo(404);
    }

    @Test
    void healthAndDocumentationAreOpenMetricsAndDataAreNot() {
        assertThat(http(null).get("/actuator/health/liveness").status()).isEqualTo(200);
        assertThat(http(null).get("/actuator/health/readiness").status()).isEqualTo(200);
        assertThat(http(null).get("/actuator/health").status()).isEqualTo(200);
        assertThat(http(null).get("/actuator/metrics").status()).isEqualTo(401);
        assertThat(http(ADMIN).get("/actuator/metrics").status()).isEqualTo(200);
        assertThat(http(null).get("/swagger-ui/index.html").status()).isEqualTo(200);
        assertThat(http(null).get("/dashboard.html").status()).isEqualTo(200);
        assertThat(http(null).get("/api/v1/datasets").status()).isEqualTo(401);
        assertThat(http(null).get("/no/such/path").status()).isEqualTo(401);
        assertThat(http(ADMIN).get("/no/such/path").status()).isEqualTo(404);
    }

    @Test
    void noSessionCookieIsEverSet() {
        for (var response : List.of(http(ADMIN).get("/api/v1/datasets"), http(null).get("/api/v1/datasets"),
                http(ADMIN).post("/api/v1/datasets", "{\"name\":\"cookies?\"}"), http(null).get("/swagger-ui/index.html"))) {
            assertThat(response.header("Set-Cookie")).isNull();
        }
    }

    @Test
    void corsAnswersOnlyTheAllowedOrigin() {
        var allowed = http(null).send("OPTIONS", "/api/v1/datasets", null, null, "Origin", "https://lims.example.org", "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization,idempotency-key");
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(allowed.header("Access-Control-Allow-Origin")).isEqualTo("https://lims.example.org");
        assertThat(allowed.header("Access-Control-Allow-Credentials")).isNull();
        var other = http(null).send("OPTIONS", "/api/v1/datasets", null, null, "Origin", "https://evil.example.com", "Access-Control-Request-Method", "POST");
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.header("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void theOpenApiDocumentOffersBothSchemesAndNamesEachScope() {
        var doc = http(null).get("/v3/api-docs").json();
        var schemes = doc.get("components").get("securitySchemes");
        assertThat(schemes.get(ApiKeyOpenApi.BEARER).get("scheme").asString()).isEqualTo("bearer");
        assertThat(schemes.get(ApiKeyOpenApi.HEADER).get("name").asString()).isEqualTo("X-API-Key");
        var cancel = doc.get("paths").get("/api/v1/jobs/{id}/cancel").get("post");
        assertThat(cancel.get("x-required-scope").asString()).isEqualTo("train");
        assertThat(cancel.get("security").get(0).get(ApiKeyOpenApi.BEARER).get(0).asString()).isEqualTo("train");
    }

    @Test
    void theFirstRunOnTheEmbeddedDatabaseCreatesOneAdminKey() {
        // the bootstrap admin key exists: nothing to create
        assertThat(firstRun.createIfFirstRun(true)).isNull();
        jdbc.update("update api_key set revoked_at = now() where 'admin' = any(scopes) and revoked_at is null");
        try {
            assertThat(firstRun.createIfFirstRun(false)).as("an external database never gets a logged key").isNull();
            IssuedApiKey created = firstRun.createIfFirstRun(true);
            assertThat(created).isNotNull();
            assertThat(created.scopes()).containsExactly("admin");
            assertThat(http(created.key()).get("/api/v1/api-keys").status()).isEqualTo(200);
            assertThat(firstRun.createIfFirstRun(true)).as("printed once").isNull();
        } finally {
            // give the other tests of this context their bootstrap key back
            jdbc.update("update api_key set revoked_at = null where bootstrap");
        }
    }
}
