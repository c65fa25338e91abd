package org.cvdplanner.nade.store;

import org.cvdplanner.nade.NadeModel;
import org.cvdplanner.nade.NadeModelInfo;
import org.cvdplanner.nade.NadeProvenance;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.cvdplanner.synthesis.ConditionBounds;
import org.cvdplanner.synthesis.ConditionVector;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The nade_model table (db/V5__nade_models.sql). */
@Repository
public class NadeModelRepository {

    private static final String INFO_COLUMNS = "id, dataset_id, training_job_id, is_default, created_at, steps, "
            + "artifact_sha256, artifact_size, seed, profile_hash, training_seconds, epochs_run, best_epoch, "
            + "validation_nll, test_nll, condition_ranges";

    private final JdbcClient jdbc;
    private final JsonMapper json;

    NadeModelRepository(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    record Artifact(byte[] bytes, String sha256) {
    }

    /**
     * Inserts a model unless its training job already stored one; returns the id stored for the
     * job (idempotent for at-least-once job runs).
     */
    @Transactional
    UUID insert(UUID id, UUID trainingJobId, long datasetId, NadeModel model, Map<String, Object> split,
            Map<String, Object> metrics, double testNll) {
        NadeProvenance p = model.provenance();
        ConditionBounds ranges = model.trainingConditionRanges();
        int inserted = jdbc.sql("""
                insert into nade_model (id, training_job_id, dataset_id, artifact, artifact_sha256, artifact_size,
                    hyper_parameters, seed, profile_hash, split, steps, condition_ranges, dl4j_version, nd4j_backend,
                    java_version, training_seconds, epochs_run, best_epoch, validation_nll, test_nll, metrics)
                values (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?::jsonb, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)
                on conflict (training_job_id) do nothing
                """)
                .params(id, trainingJobId, datasetId, model.toBytes(), model.sha256(), model.artifactSize(),
                        json.writeValueAsString(p.hyperParameters()), p.hyperParameters().seed(), p.profileHash(),
                        json.writeValueAsString(split), p.steps(),
                        json.writeValueAsString(Map.of("min", ranges.min(), "max", ranges.max())), p.dl4jVersion(),
                        p.nd4jBackend(), p.javaVersion(), p.trainingSeconds(), p.epochsRun(), p.bestEpoch(),
                        p.bestValidationNll(), testNll, json.writeValueAsString(metrics))
                .update();
        if (inserted == 1 || trainingJobId == null) {
            return id;
        }
        return jdbc.sql("select id from nade_model where training_job_id = ?").param(trainingJobId)
                .query(UUID.class).single();
    }

    Optional<NadeModelInfo> find(UUID id) {
        return jdbc.sql("select " + INFO_COLUMNS + " from nade_model where id = ?").param(id)
                .query(this::info).optional();
    }

    /** Newest first; {@code datasetId} filters when not null. */
    List<NadeModelInfo> list(Long datasetId, int limit) {
        if (datasetId == null) {
            return jdbc.sql("select " + INFO_COLUMNS + " from nade_model order by created_at desc, id limit ?")
                    .param(limit).query(this::info).list();
        }
        return jdbc.sql("select " + INFO_COLUMNS
                + " from nade_model where dataset_id = ? order by created_at desc, id limit ?")
                .params(datasetId, limit).query(this::info).list();
    }

    Optional<Artifact> artifact(UUID id) {
        return jdbc.sql("select artifact, artifact_sha256 from nade_model where id = ?").param(id)
                .query((rs, n) -> new Artifact(rs.getBytes(1), rs.getString(2))).optional();
    }

    /** The stored hyper-parameters, split and metrics documents. */
    public Optional<Map<String, JsonNode>> documents(UUID id) {
        return jdbc.sql("select hyper_parameters, split, metrics, dl4j_version, nd4j_backend, java_version "
                + "from nade_model where id = ?").param(id)
                .query((rs, n) -> Map.of("hyperParameters", json.readTree(rs.getString(1)),
                        "split", json.readTree(rs.getString(2)), "metrics", json.readTree(rs.getString(3)),
                        "versions", json.valueToTree(Map.of("dl4j", rs.getString(4), "nd4jBackend", rs.getString(5),
                                "java", rs.getString(6)))))
                .optional();
    }

    Optional<UUID> defaultId() {
        return jdbc.sql("select id from nade_model where is_default").query(UUID.class).optional();
    }

    /** Makes {@code id} the only default; false when no such model. */
    @Transactional
    boolean makeDefault(UUID id) {
        // serialise concurrent changes of the default (the partial unique index allows one)
        jdbc.sql("select pg_advisory_xact_lock(5001)").query().singleRow();
        if (jdbc.sql("select count(*) from nade_model where id = ?").param(id).query(Long.class).single() == 0) {
            return false;
        }
        jdbc.sql("update nade_model set is_default = false where is_default and id <> ?").param(id).update();
        jdbc.sql("update nade_model set is_default = true where id = ? and not is_default").param(id).update();
        return true;
    }

    private NadeModelInfo info(ResultSet rs, int row) throws SQLException {
        JsonNode ranges = json.readTree(rs.getString("condition_ranges"));
        return new NadeModelInfo(rs.getObject("id", UUID.class), rs.getLong("dataset_id"),
                rs.getObject("training_job_id", UUID.class), rs.getBoolean("is_default"),
                rs.getTimestamp("created_at").toInstant(), rs.getInt("steps"), rs.getString("artifact_sha256"),
                rs.getInt("artifact_size"), rs.getLong("seed"), rs.getString("profile_hash"),
                rs.getDouble("training_seconds"), rs.getInt("epochs_run"), rs.getInt("best_epoch"),
                rs.getDouble("validation_nll"), rs.getDouble("test_nll"),
                new ConditionBounds(vector(ranges.get("min")), vector(ranges.get("max"))));
    }

    private static ConditionVector vector(JsonNode node) {
        return new ConditionVector(node.get("temperatureK").asDouble(), node.get("s2").asDouble(),
                node.get("h2").asDouble(), node.get("h2s").asDouble());
    }
}
