package org.cvdplanner.security;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL of the api_key table. */
@Repository
class ApiKeyRepository {

    private static final String COLUMNS = "id, name, prefix, scopes, created_at, last_used_at, expires_at, revoked_at, bootstrap";

    private final JdbcClient jdbc;

    ApiKeyRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(UUID id, String name, String prefix, String hash, Set<Scope> scopes, Instant expiresAt, boolean bootstrap) {
        jdbc.sql("""
                insert into api_key (id, name, prefix, key_hash, scopes, expires_at, bootstrap)
                values (:id, :name, :prefix, :hash, cast(:scopes as text[]), :expires, :bootstrap)""")
                .param("id", id).param("name", name).param("prefix", prefix).param("hash", hash)
                .param("scopes", arrayLiteral(scopes)).param("expires", timestamp(expiresAt)).param("bootstrap", bootstrap)
                .update();
    }

    Optional<ApiKeyRecord> findByHash(String hash) {
        return jdbc.sql("select " + COLUMNS + " from api_key where key_hash = :hash").param("hash", hash)
                .query(ApiKeyRepository::map).optional();
    }

    Optional<ApiKeyRecord> find(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from api_key where id = :id").param("id", id)
                .query(ApiKeyRepository::map).optional();
    }

    List<ApiKeyRecord> list(boolean includeRevoked) {
        return jdbc.sql("select " + COLUMNS + " from api_key where :all or revoked_at is null order by created_at, id")
                .param("all", includeRevoked).query(ApiKeyRepository::map).list();
    }

    boolean revoke(UUID id) {
        return jdbc.sql("update api_key set revoked_at = coalesce(revoked_at, now()) where id = :id").param("id", id).update() == 1;
    }

    /** Records use at most every half minute, so a busy key does not write on every request. */
    void touch(UUID id) {
        jdbc.sql("update api_key set last_used_at = now() where id = :id"
                + " and (last_used_at is null or last_used_at < now() - interval '30 seconds')").param("id", id).update();
    }

    boolean anyUsableAdminKey() {
        return jdbc.sql("select exists (select 1 from api_key where 'admin' = any(scopes) and revoked_at is null"
                + " and (expires_at is null or expires_at > now()))").query(Boolean.class).single();
    }

    private static String arrayLiteral(Set<Scope> scopes) {
        return "{" + String.join(",", scopes.stream().map(Scope::value).toList()) + "}";
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static ApiKeyRecord map(ResultSet rs, int row) throws SQLException {
        Array array = rs.getArray("scopes");
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (Object value : (Object[]) array.getArray()) {
            Scope.parse((String) value).ifPresent(scopes::add);
        }
        return new ApiKeyRecord(rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("prefix"), scopes,
                instant(rs, "created_at"), instant(rs, "last_used_at"), instant(rs, "expires_at"),
                instant(rs, "revoked_at"), rs.getBoolean("bootstrap"));
    }
}
