package org.cvdplanner.webhook;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** SQL of the webhook tables. */
@Repository
class WebhookStore {

    record Subscription(UUID id, String url, List<String> eventTypes, String description, Instant createdAt,
            Instant disabledAt) {
    }

    /** A delivery leased for one attempt, with what is needed to send it. */
    record Leased(long id, int attempt, Instant createdAt, UUID eventId, String type, String dataJson, Instant eventAt,
            String url, String secret) {
    }

    record Delivery(long id, UUID eventId, String eventType, String state, int attempts, Integer lastStatus,
            String lastError, Instant nextAttemptAt, Instant createdAt, Instant succeededAt, List<Attempt> log) {
    }

    record Attempt(int attempt, Instant at, Integer statusCode, int latencyMs, String error) {
    }

    private final JdbcClient jdbc;
    private final WebhookSecrets secrets;

    WebhookStore(JdbcClient jdbc, WebhookSecrets secrets) {
        this.jdbc = jdbc;
        this.secrets = secrets;
    }

    /** Seals the secrets still stored in clear, once a key is configured; returns how many. */
    int sealSecretsInClear() {
        if (!secrets.sealing()) {
            return 0;
        }
        int sealed = 0;
        for (var row : jdbc.sql("select id, secret from webhook_subscription where secret not like :prefix")
                .param("prefix", WebhookSecrets.SEALED_PREFIX + "%")
                .query((rs, n) -> new String[] {rs.getString("id"), rs.getString("secret")}).list()) {
            sealed += jdbc.sql("update webhook_subscription set secret = :sealed where id = cast(:id as uuid) and secret = :clear")
                    .param("sealed", secrets.seal(row[1])).param("id", row[0]).param("clear", row[1]).update();
        }
        return sealed;
    }

    void insertSubscription(UUID id, String url, List<String> eventTypes, String secret, String description) {
        jdbc.sql("insert into webhook_subscription (id, url, event_types, secret, description)"
                + " values (:id, :url, cast(:types as text[]), :secret, :description)")
                .param("id", id).param("url", url).param("types", "{" + String.join(",", eventTypes) + "}")
                .param("secret", secrets.seal(secret)).param("description", description).update();
    }

    List<Subscription> subscriptions(boolean includeDisabled) {
        return jdbc.sql("select * from webhook_subscription where :all or disabled_at is null order by created_at, id")
                .param("all", includeDisabled).query(WebhookStore::subscription).list();
    }

    Optional<Subscription> subscription(UUID id) {
        return jdbc.sql("select * from webhook_subscription where id = :id").param("id", id)
                .query(WebhookStore::subscription).optional();
    }

    boolean disable(UUID id) {
        return jdbc.sql("update webhook_subscription set disabled_at = coalesce(disabled_at, now()) where id = :id")
                .param("id", id).update() == 1;
    }

    /** Takes up to {@code limit} due deliveries for one attempt each; skips rows another instance holds. */
    @Transactional
    public List<Leased> lease(int limit, Duration lease) {
        return jdbc.sql("""
                with due as (
                    select id from webhook_delivery where state = 'PENDING' and next_attempt_at <= now()
                    order by next_attempt_at, id limit :limit for update skip locked)
                update webhook_delivery d set attempts = d.attempts + 1,
                    next_attempt_at = now() + make_interval(secs => :lease)
                from due, webhook_event e, webhook_subscription s
                where d.id = due.id and e.id = d.event_id and s.id = d.subscription_id
                returning d.id, d.attempts, d.created_at, e.id as event_id, e.type, e.data::text as data,
                    e.created_at as event_at, s.url, s.secret""")
                .param("limit", limit).param("lease", (double) lease.toMillis() / 1000)
                .query((rs, row) -> new Leased(rs.getLong("id"), rs.getInt("attempts"), instant(rs, "created_at"),
                        rs.getObject("event_id", UUID.class), rs.getString("type"), rs.getString("data"),
                        instant(rs, "event_at"), rs.getString("url"), rs.getString("secret")))
                .list();
    }

    /** Records an attempt; only the attempt that holds the lease can change the delivery (fencing). */
    @Transactional
    public boolean record(long id, int attempt, Integer status, String error, int latencyMs, boolean succeeded,
            Instant nextAttempt, boolean giveUp) {
        jdbc.sql("insert into webhook_attempt (delivery_id, attempt, status_code, latency_ms, error)"
                + " values (:id, :attempt, :status, :latency, :error) on conflict do nothing")
                .param("id", id).param("attempt", attempt).param("status", status).param("latency", latencyMs)
                .param("error", error).update();
        return jdbc.sql("""
                update webhook_delivery set state = :state, last_status = :status, last_error = :error,
                    next_attempt_at = :next, succeeded_at = case when :succeeded then now() end
                where id = :id and attempts = :attempt and state = 'PENDING'""")
                .param("state", succeeded ? "SUCCEEDED" : giveUp ? "FAILED" : "PENDING")
                .param("status", status).param("error", error).param("next", Timestamp.from(nextAttempt))
                .param("succeeded", succeeded).param("id", id).param("attempt", attempt)
                .update() == 1;
    }

    boolean redeliver(long id) {
        return jdbc.sql("update webhook_delivery set state = 'PENDING', next_attempt_at = now(), succeeded_at = null"
                + " where id = :id").param("id", id).update() == 1;
    }

    List<Delivery> deliveries(UUID subscriptionId, String state, int limit) {
        List<Delivery> rows = jdbc.sql("""
                select d.*, e.type from webhook_delivery d join webhook_event e on e.id = d.event_id
                where d.subscription_id = :sub and (cast(:state as text) is null or d.state = :state)
                order by d.id desc limit :limit""")
                .param("sub", subscriptionId).param("state", state).param("limit", limit)
                .query((rs, row) -> delivery(rs, List.of())).list();
        return rows.stream().map(d -> new Delivery(d.id(), d.eventId(), d.eventType(), d.state(), d.attempts(),
                d.lastStatus(), d.lastError(), d.nextAttemptAt(), d.createdAt(), d.succeededAt(), attempts(d.id()))).toList();
    }

    Optional<Delivery> delivery(long id) {
        return jdbc.sql("select d.*, e.type from webhook_delivery d join webhook_event e on e.id = d.event_id where d.id = :id")
                .param("id", id).query((rs, row) -> delivery(rs, attempts(id))).optional();
    }

    private List<Attempt> attempts(long deliveryId) {
        return jdbc.sql("select * from webhook_attempt where delivery_id = :id order by attempt").param("id", deliveryId)
                .query((rs, row) -> new Attempt(rs.getInt("attempt"), instant(rs, "at"), (Integer) rs.getObject("status_code"),
                        rs.getInt("latency_ms"), rs.getString("error"))).list();
    }

    private static Delivery delivery(ResultSet rs, List<Attempt> log) throws SQLException {
        return new Delivery(rs.getLong("id"), rs.getObject("event_id", UUID.class), rs.getString("type"),
                rs.getString("state"), rs.getInt("attempts"), (Integer) rs.getObject("last_status"),
                rs.getString("last_error"), instant(rs, "next_attempt_at"), instant(rs, "created_at"),
                instant(rs, "succeeded_at"), log);
    }

    private static Subscription subscription(ResultSet rs, int row) throws SQLException {
        Array types = rs.getArray("event_types");
        return new Subscription(rs.getObject("id", UUID.class), rs.getString("url"),
                Arrays.stream((Object[]) types.getArray()).map(String::valueOf).toList(), rs.getString("description"),
                instant(rs, "created_at"), instant(rs, "disabled_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
