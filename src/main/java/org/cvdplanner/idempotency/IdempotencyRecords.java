package org.cvdplanner.idempotency;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL of idempotency_record. Every statement is its own short transaction: no lock is held while a request runs. */
@Repository
class IdempotencyRecords {

    record Stored(String requestHash, String method, String path, boolean completed, Integer status, String headersJson,
            byte[] body) {
    }

    private final JdbcClient jdbc;

    IdempotencyRecords(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Claims the key for this request: true when it inserted the record, or took over one that
     * expired or whose owner's lease ran out.
     */
    boolean claim(String scope, String key, String method, String path, String hash, Duration lease, Duration retention) {
        Instant now = Instant.now();
        int inserted = jdbc.sql("""
                insert into idempotency_record (scope, idempotency_key, method, path, request_hash, state, locked_until, expires_at)
                values (:scope, :key, :method, :path, :hash, 'IN_PROGRESS', :locked, :expires)
                on conflict (scope, idempotency_key) do update
                    set method = excluded.method, path = excluded.path, request_hash = excluded.request_hash,
                        state = 'IN_PROGRESS', response_status = null, response_headers = null, response_body = null,
                        created_at = now(), locked_until = excluded.locked_until, expires_at = excluded.expires_at
                    where idempotency_record.expires_at < now()
                       or (idempotency_record.state = 'IN_PROGRESS' and idempotency_record.locked_until < now()
                           and idempotency_record.request_hash = excluded.request_hash)""")
                .param("scope", scope).param("key", key).param("method", method).param("path", path).param("hash", hash)
                .param("locked", Timestamp.from(now.plus(lease))).param("expires", Timestamp.from(now.plus(retention)))
                .update();
        return inserted == 1;
    }

    Optional<Stored> find(String scope, String key) {
        return jdbc.sql("""
                select request_hash, method, path, state, response_status, response_headers::text as headers, response_body
                from idempotency_record where scope = :scope and idempotency_key = :key""")
                .param("scope", scope).param("key", key)
                .query((rs, row) -> new Stored(rs.getString("request_hash"), rs.getString("method"), rs.getString("path"),
                        "COMPLETED".equals(rs.getString("state")), (Integer) rs.getObject("response_status"),
                        rs.getString("headers"), rs.getBytes("response_body")))
                .optional();
    }

    void complete(String scope, String key, int status, String headersJson, byte[] body) {
        jdbc.sql("""
                update idempotency_record set state = 'COMPLETED', response_status = :status,
                    response_headers = cast(:headers as jsonb), response_body = :body
                where scope = :scope and idempotency_key = :key""")
                .param("status", status).param("headers", headersJson).param("body", body)
                .param("scope", scope).param("key", key).update();
    }

    /** A request that failed on the service's side releases its key, so a retry runs again. */
    void release(String scope, String key) {
        jdbc.sql("delete from idempotency_record where scope = :scope and idempotency_key = :key and state = 'IN_PROGRESS'")
                .param("scope", scope).param("key", key).update();
    }

    int deleteExpired() {
        return jdbc.sql("delete from idempotency_record where expires_at < now()").update();
    }
}
