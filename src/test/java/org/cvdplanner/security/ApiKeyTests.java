package org.cvdplanner.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/** Keys: created, used, refused, revoked, expired; what is open; what is stored; CORS; first run. */
@SecuredApiTest
class ApiKeyTests {

    private static final String ADMIN = SecuredApiTest.ADMIN_KEY;

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    FirstRunAdminKey firstRun;

    KeyedHttp http() {
        return new KeyedHttp(port);
    }

    @Test
    void aKeyIsShownOnceAndOnlyItsHashIsStored() {
        var created = http().post("/api/v1/api-keys", ADMIN, "{\"name\":\"lims\",\"scopes\":[\"read\",\"write\"]}");
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
        var shown = http().get("/api/v1/api-keys/" + id, ADMIN);
        assertThat(shown.body()).doesNotContain(key).contains("\"prefix\":\"" + key.substring(0, 12) + "\"");
        assertThat(http().get("/api/v1/api-keys", ADMIN).body()).doesNotContain(key);

        // both headers work, and use is recorded
        assertThat(http().get("/api/v1/datasets", key).status()).isEqualTo(200);
        assertThat(http().call("GET", "/api/v1/datasets", null, null, null, "X-API-Key", key).status()).isEqualTo(200);
        assertThat(http().get("/api/v1/api-keys/" + id, ADMIN).json().get("lastUsedAt").isNull()).isFalse();
    }

    @Test
    void unknownRevokedAndExpiredKeysAre401NamingTheHeader() {
        var unknown = http().get("/api/v1/datasets", "cvdp_not-a-key");
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.header("Content-Type")).startsWith("application/problem+json");
        assertThat(unknown.json().get("field").asString()).isEqualTo("Authorization");
        assertThat(unknown.json().get("detail").asString()).contains("not known");
        var viaHeader = http().call("GET", "/api/v1/datasets", null, null, null, "X-API-Key", "wrong");
        assertThat(viaHeader.status()).isEqualTo(401);
        assertThat(viaHeader.json().get("field").asString()).isEqualTo("X-API-Key");
        // a bad key is refused even on an open endpoint: the caller should learn its key is wrong
        assertThat(http().get("/actuator/health", "cvdp_not-a-key").status()).isEqualTo(401);

        var created = http().post("/api/v1/api-keys", ADMIN, "{\"name\":\"short-lived\",\"scopes\":[\"read\"]}").json();
        String key = created.get("key").asString();
        String id = created.get("id").asString();
        assertThat(http().get("/api/v1/datasets", key).status()).isEqualTo(200);
        assertThat(http().call("DELETE", "/api/v1/api-keys/" + id, ADMIN, null, null).status()).isEqualTo(204);
        var revoked = http().get("/api/v1/datasets", key);
        assertThat(revoked.status()).isEqualTo(401);
        assertThat(revoked.json().get("detail").asString()).contains("revoked");
        assertThat(http().get("/api/v1/api-keys", ADMIN).body()).doesNotContain(id);
        assertThat(http().get("/api/v1/api-keys?includeRevoked=true", ADMIN).body()).contains(id);

        var expiring = http().post("/api/v1/api-keys", ADMIN, "{\"name\":\"expiring\",\"scopes\":[\"read\"],\"expiresAt\":\""
                + Instant.now().plusSeconds(3600) + "\"}").json();
        assertThat(http().get("/api/v1/datasets", expiring.get("key").asString()).status()).isEqualTo(200);
        jdbc.update("update api_key set expires_at = now() - interval '1 second' where id = ?::uuid", expiring.get("id").asString());
        var expired = http().get("/api/v1/datasets", expiring.get("key").asString());
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.json().get("detail").asString()).contains("expired");
    }

    @Test
    void badKeyRequestsAre400NamingTheFieldAndStoreNothing() {
        Integer before = jdbc.queryForObject("select count(*) from api_key", Integer.class);
        var unknownScope = http().post("/api/v1/api-keys", ADMIN, "{\"name\":\"x\",\"scopes\":[\"read\",\"root\"]}");
        assertThat(unknownScope.status()).isEqualTo(400);
        assertThat(unknownScope.json().get("field").asString()).isEqualTo("scopes");
        assertThat(unknownScope.json().get("detail").asString()).contains("root");
        var noScopes = http().post("/api/v1/api-keys", ADMIN, "{\"name\":\"x\",\"scopes\":[]}");
        assertThat(noScopes.status()).isEqualTo(400);
        assertThat(noScopes.json().get("field").asString()).isEqualTo("scopes");
        var past = http().post("/api/v1/api-keys", ADMIN, "{\"name\":\"x\",\"scopes\":[\"read\"],\"expiresAt\":\"2020-01-01T00:00:00Z\"}");
        assertThat(past.status()).isEqualTo(400);
        assertThat(past.json().get("field").asString()).isEqualTo("expiresAt");
        var noName = http().post("/api/v1/api-keys", ADMIN, "{\"scopes\":[\"read\"]}");
        assertThat(noName.status()).isEqualTo(400);
        assertThat(noName.json().get("field").asString()).isEqualTo("name");
        assertThat(jdbc.queryForObject("select count(*) from api_key", Integer.class)).isEqualTo(before);
        var unknownId = http().call("DELETE", "/api/v1/api-keys/00000000-0000-0000-0000-000000000000", ADMIN, null, null);
        assertThat(unknownId.status()).isEqualTo(404);
    }

    @Test
    void healthAndDocumentationAreOpenMetricsAndDataAreNot() {
        assertThat(http().get("/actuator/health/liveness", null).status()).isEqualTo(200);
        assertThat(http().get("/actuator/health/readiness", null).status()).isEqualTo(200);
        assertThat(http().get("/actuator/health", null).status()).isEqualTo(200);
        assertThat(http().get("/actuator/metrics", null).status()).isEqualTo(401);
        assertThat(http().get("/actuator/metrics", ADMIN).status()).isEqualTo(200);
        assertThat(http().get("/swagger-ui/index.html", null).status()).isEqualTo(200);
        assertThat(http().get("/dashboard.html", null).status()).isEqualTo(200);
        assertThat(http().get("/api/v1/datasets", null).status()).isEqualTo(401);
        assertThat(http().get("/no/such/path", null).status()).isEqualTo(401);
        assertThat(http().get("/no/such/path", ADMIN).status()).isEqualTo(404);
    }

    @Test
    void noSessionCookieIsEverSet() {
        for (var response : List.of(http().get("/api/v1/datasets", ADMIN), http().get("/api/v1/datasets", null),
                http().post("/api/v1/datasets", ADMIN, "{\"name\":\"cookies?\"}"), http().get("/swagger-ui/index.html", null))) {
            assertThat(response.header("Set-Cookie")).isNull();
        }
    }

    @Test
    void corsAnswersOnlyTheAllowedOrigin() {
        var allowed = http().call("OPTIONS", "/api/v1/datasets", null, null, null, "Origin", "https://lims.example.org",
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization,idempotency-key");
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(allowed.header("Access-Control-Allow-Origin")).isEqualTo("https://lims.example.org");
        assertThat(allowed.header("Access-Control-Allow-Credentials")).isNull();
        var other = http().call("OPTIONS", "/api/v1/datasets", null, null, null, "Origin", "https://evil.example.com",
                "Access-Control-Request-Method", "POST");
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.header("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void theOpenApiDocumentOffersBothSchemesAndNamesEachScope() {
        var doc = http().get("/v3/api-docs", null).json();
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
            assertThat(http().get("/api/v1/api-keys", created.key()).status()).isEqualTo(200);
            assertThat(firstRun.createIfFirstRun(true)).as("printed once").isNull();
        } finally {
            // give the other tests of this context their bootstrap key back
            jdbc.update("update api_key set revoked_at = null where bootstrap");
        }
    }
}
