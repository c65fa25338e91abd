package org.cvdplanner.job;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * SQL of the job tables. Every write a run makes is fenced by its attempt number: when another
 * instance has taken the job over (a revived dead execution), the stale run's writes match no
 * row and the run learns that it lost the job.
 */
@Repository
class JobRepository {

    static final String COLUMNS = "id, seq, type, status, parameters::text as parameters, seed, idempotency_key, request_hash, "
            + "progress_done, progress_total, progress_unit, result::text as result, error, instance, attempts, releases, "
            + "cancel_requested, created_at, started_at, updated_at, finished_at, external_ref";

    private static final RowMapper<JobRecord> MAPPER = JobRepository::map;

    private final JdbcClient jdbc;

    JobRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts a QUEUED job; false when the idempotency key is taken (by a committed or concurrent insert). */
    boolean insert(UUID id, String type, String parametersJson, long seed, String idempotencyKey, String requestHash,
            String externalRef, UUID apiKeyId) {
        return jdbc.sql("""
                insert into job (id, type, status, parameters, seed, idempotency_key, request_hash, external_ref, api_key_id)
                values (:id, :type, 'QUEUED', cast(:parameters as jsonb), :seed, :key, :hash, :ref, :apiKey)
                on conflict on constraint job_idempotency_key_unique do nothing""")
                .param("id", id).param("type", type).param("parameters", parametersJson).param("seed", seed)
                .param("key", idempotencyKey).param("hash", requestHash).param("ref", externalRef)
                .param("apiKey", apiKeyId)
                .update() == 1;
    }

    /**
     * Queued + running jobs of an API key, counted under a per-key transaction lock, so two
     * concurrent submissions of one key cannot both take the last place.
     */
    long lockAndCountActive(UUID apiKeyId) {
        jdbc.sql("select pg_advisory_xact_lock(hashtextextended('job-cap:' || cast(:key as text), 0))")
                .param("key", apiKeyId).query((rs, n) -> 1).list();
        return jdbc.sql("select count(*) from job where api_key_id = :key and status in ('QUEUED', 'RUNNING')")
                .param("key", apiKeyId).query(Long.class).single();
    }

    Optional<JobRecord> find(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from job where id = :id").param("id", id).query(MAPPER).optional();
    }

    Optional<JobRecord> findForUpdate(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from job where id = :id for update").param("id", id).query(MAPPER).optional();
    }

    Optional<JobRecord> findByIdempotencyKey(String key) {
        return jdbc.sql("select " + COLUMNS + " from job where idempotency_key = :key").param("key", key).query(MAPPER).optional();
    }

    List<JobRecord> findAll(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("select " + COLUMNS + " from job where id in (:ids)").param("ids", ids).query(MAPPER).list();
    }

    /** Newest first; {@code beforeSeq} is the cursor (exclusive), null for the first page. */
    List<JobRecord> list(String type, JobStatus status, String externalRef, Long beforeSeq, int limit) {
        return jdbc.sql("select " + COLUMNS + " from job where (cast(:type as text) is null or type = :type)"
                + " and (cast(:status as text) is null or status = :status)"
                + " and (cast(:ref as text) is null or external_ref = :ref)"
                + " and (cast(:before as bigint) is null or seq < :before) order by seq desc limit :limit")
                .param("type", type).param("status", status == null ? null : status.name()).param("ref", externalRef)
                .param("before", beforeSeq).param("limit", limit)
                .query(MAPPER).list();
    }

    /**
     * Marks the start of a run: RUNNING on this instance, attempts + 1. Returns the new attempt
     * count (the run's fencing token), or empty when the job is no longer runnable.
     */
    Optional<Integer> start(UUID id, String instance) {
        return jdbc.sql("""
                update job set status = 'RUNNING', instance = :instance, attempts = attempts + 1,
                    started_at = coalesce(started_at, now()), updated_at = now()
                where id = :id and status in ('QUEUED', 'RUNNING') and not cancel_requested
                returning attempts""")
                .param("id", id).param("instance", instance).query(Integer.class).optional();
    }

    /** Progress of the run holding {@code attempt}; returns the cancel flag, empty if the run lost the job. */
    Optional<Boolean> progress(UUID id, int attempt, Long done, Long total, String unit) {
        return jdbc.sql("""
                update job set progress_done = coalesce(:done, progress_done), progress_total = coalesce(:total, progress_total),
                    progress_unit = coalesce(:unit, progress_unit), updated_at = now()
                where id = :id and attempts = :attempt and status = 'RUNNING'
                returning cancel_requested""")
                .param("id", id).param("attempt", attempt).param("done", done).param("total", total).param("unit", unit)
                .query(Boolean.class).optional();
    }

    /** The cancel flag as seen by the run holding {@code attempt}; empty if the run lost the job. */
    Optional<Boolean> cancelRequested(UUID id, int attempt) {
        return jdbc.sql("select cancel_requested from job where id = :id and attempts = :attempt and status = 'RUNNING'")
                .param("id", id).param("attempt", attempt).query(Boolean.class).optional();
    }

    boolean saveMetric(UUID id, int attempt, String name, long step, double value) {
        return jdbc.sql("""
                insert into job_metric (job_id, name, step, value)
                select :id, :name, :step, :value where exists (
                    select 1 from job where id = :id and attempts = :attempt and status = 'RUNNING')
                on conflict (job_id, name, step) do update set value = excluded.value, recorded_at = now()""")
                .param("id", id).param("attempt", attempt).param("name", name).param("step", step).param("value", value)
                .update() == 1;
    }

    boolean saveCheckpoint(UUID id, int attempt, byte[] data) {
        return jdbc.sql("""
                insert into job_checkpoint (job_id, attempt, data)
                select :id, :attempt, :data where exists (
                    select 1 from job where id = :id and attempts = :attempt and status = 'RUNNING')
                on conflict (job_id) do update set attempt = excluded.attempt, data = excluded.data, saved_at = now()""")
                .param("id", id).param("attempt", attempt).param("data", data)
                .update() == 1;
    }

    Optional<byte[]> checkpoint(UUID id) {
        return jdbc.sql("select data from job_checkpoint where job_id = :id").param("id", id).query(byte[].class).optional();
    }

    /**
     * Ends the run holding {@code attempt} in a terminal state; false if it had lost the job. A
     * job that succeeded will never resume, so its checkpoint goes in the same statement.
     */
    boolean finish(UUID id, int attempt, JobStatus status, String resultJson, String error) {
        return jdbc.sql("""
                with finished as (
                    update job set status = :status, result = cast(:result as jsonb), error = :error,
                        finished_at = now(), updated_at = now()
                    where id = :id and attempts = :attempt and status = 'RUNNING'
                    returning id, status),
                dropped as (
                    delete from job_checkpoint c using finished f where c.job_id = f.id and f.status = 'SUCCEEDED')
                select count(*) from finished""")
                .param("id", id).param("attempt", attempt).param("status", status.name())
                .param("result", resultJson).param("error", error)
                .query(Integer.class).single() == 1;
    }

    /** Queued or running jobs whose parameters have the top-level field {@code parameter} = {@code value}. */
    List<UUID> activeWithParameter(String parameter, long value) {
        return jdbc.sql("""
                select id from job where status in ('QUEUED', 'RUNNING')
                and jsonb_typeof(parameters -> :name) = 'number' and (parameters ->> :name)::numeric = :value
                order by seq""")
                .param("name", parameter).param("value", value).query(UUID.class).list();
    }

    /** A cheap round trip: is the database answering? */
    void ping() {
        jdbc.sql("select 1").query(Integer.class).single();
    }

    /** Ends a job that is not running (queued, or its last run died) in a terminal state. */
    boolean finishIdle(UUID id, JobStatus status, String error) {
        return jdbc.sql("""
                update job set status = :status, error = :error, finished_at = now(), updated_at = now()
                where id = :id and status in ('QUEUED', 'RUNNING')""")
                .param("id", id).param("status", status.name()).param("error", error)
                .update() == 1;
    }

    /** Hands the job back to the queue after a graceful shutdown of the run holding {@code attempt}. */
    boolean release(UUID id, int attempt) {
        return jdbc.sql("""
                update job set status = 'QUEUED', releases = releases + 1, updated_at = now()
                where id = :id and attempts = :attempt and status = 'RUNNING'""")
                .param("id", id).param("attempt", attempt).update() == 1;
    }

    /** A dead run's job goes back to QUEUED (its execution was revived). */
    boolean requeueDead(UUID id) {
        return jdbc.sql("update job set status = 'QUEUED', updated_at = now() where id = :id and status = 'RUNNING'")
                .param("id", id).update() == 1;
    }

    boolean requestCancel(UUID id) {
        return jdbc.sql("update job set cancel_requested = true, updated_at = now() where id = :id and status in ('QUEUED', 'RUNNING')")
                .param("id", id).update() == 1;
    }

    /** Removes the job's db-scheduler execution if no instance has picked it; true if removed. */
    boolean unscheduleIfNotPicked(String queue, UUID id) {
        return jdbc.sql("delete from scheduled_tasks where task_name = :queue and task_instance = :id and not picked")
                .param("queue", queue).param("id", id.toString()).update() == 1;
    }

    List<MetricPoint> metrics(UUID id, long afterSeq) {
        return jdbc.sql("select name, step, value, seq from job_metric where job_id = :id and seq > :after order by seq")
                .param("id", id).param("after", afterSeq)
                .query((rs, n) -> new MetricPoint(rs.getString(1), rs.getLong(2), rs.getDouble(3), rs.getLong(4)))
                .list();
    }

    record MetricPoint(String name, long step, double value, long seq) {
    }

    private static JobRecord map(ResultSet rs, int rowNum) throws SQLException {
        return new JobRecord(rs.getObject("id", UUID.class), rs.getLong("seq"), rs.getString("type"),
                JobStatus.valueOf(rs.getString("status")), rs.getString("parameters"), rs.getLong("seed"),
                rs.getString("idempotency_key"), rs.getString("request_hash"), (Long) rs.getObject("progress_done"),
                (Long) rs.getObject("progress_total"), rs.getString("progress_unit"), rs.getString("result"),
                rs.getString("error"), rs.getString("instance"), rs.getInt("attempts"), rs.getInt("releases"),
                rs.getBoolean("cancel_requested"), instant(rs, "created_at"), instant(rs, "started_at"),
                instant(rs, "updated_at"), instant(rs, "finished_at"), rs.getString("external_ref"));
    }

    private static java.time.Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
