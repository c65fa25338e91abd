package org.cvdplanner.agent.store;

import org.cvdplanner.agent.Agent;
import org.cvdplanner.agent.AgentDetails;
import org.cvdplanner.agent.AgentHyperParameters;
import org.cvdplanner.agent.AgentProvenance;
import org.cvdplanner.agent.AgentSummary;
import org.cvdplanner.agent.BaselineReport;
import org.cvdplanner.agent.Objective;
import org.cvdplanner.agent.RewardPoint;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/** The agent table (db/V6__agents_and_proposals.sql). */
@Repository
public class AgentRepository {

    private static final String SUMMARY_COLUMNS = "id, nade_model_id, dataset_id, training_job_id, objective, episodes, "
            + "batch_size, steps, seed, final_mean_objective, training_seconds, artifact_sha256, artifact_size, created_at";

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    AgentRepository(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public record Artifact(byte[] bytes, String sha256, UUID nadeModelId) {
    }

    /** Inserts an agent unless its training job already stored one; returns the id stored for the job. */
    @Transactional
    public UUID insert(UUID id, UUID trainingJobId, UUID nadeModelId, Agent agent, BaselineReport baselines) {
        AgentHyperParameters hp = agent.hyperParameters();
        AgentProvenance p = agent.provenance();
        byte[] bytes = agent.toBytes();
        int inserted = jdbc.sql("""
                insert into agent (id, training_job_id, nade_model_id, dataset_id, objective, artifact, artifact_sha256,
                    artifact_size, hyper_parameters, provenance, reward_curve, baselines, seed, episodes, batch_size,
                    steps, training_seconds, final_mean_objective)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?, ?)
                on conflict (training_job_id) do nothing
                """)
                .params(id, trainingJobId, nadeModelId, p.datasetId(), hp.objective().name(), bytes, agent.sha256(),
                        bytes.length, json.writeValueAsString(hp), json.writeValueAsString(p),
                        json.writeValueAsString(agent.rewardCurve()),
                        baselines == null ? null : json.writeValueAsString(baselines), hp.seed(), p.episodes(),
                        hp.batchSize(), hp.steps(), p.trainingSeconds(),
                        Double.isFinite(p.finalMeanObjective()) ? p.finalMeanObjective() : 0.0)
                .update();
        if (inserted == 1 || trainingJobId == null) {
            return id;
        }
        return findByJob(trainingJobId).orElseThrow();
    }

    public Optional<UUID> findByJob(UUID trainingJobId) {
        return jdbc.sql("select id from agent where training_job_id = ?").param(trainingJobId).query(UUID.class)
                .optional();
    }

    public Optional<AgentSummary> find(UUID id) {
        return jdbc.sql("select " + SUMMARY_COLUMNS + " from agent where id = ?").param(id).query(this::mapSummary)
                .optional();
    }

    /** Newest first; filtered by NADE model when not null. */
    public List<AgentSummary> list(UUID nadeModelId, int limit) {
        if (nadeModelId == null) {
            return jdbc.sql("select " + SUMMARY_COLUMNS + " from agent order by created_at desc, id limit ?")
                    .param(limit).query(this::mapSummary).list();
        }
        return jdbc.sql("select " + SUMMARY_COLUMNS + " from agent where nade_model_id = ? "
                + "order by created_at desc, id limit ?").params(nadeModelId, limit).query(this::mapSummary).list();
    }

    public Optional<AgentDetails> details(UUID id) {
        return jdbc.sql("select " + SUMMARY_COLUMNS + ", hyper_parameters, provenance, reward_curve, baselines "
                + "from agent where id = ?").param(id).query((rs, n) -> new AgentDetails(mapSummary(rs, n),
                        json.readValue(rs.getString("hyper_parameters"), AgentHyperParameters.class),
                        json.readValue(rs.getString("provenance"), AgentProvenance.class),
                        json.readValue(rs.getString("reward_curve"), new TypeReference<List<RewardPoint>>() {
                        }),
                        rs.getString("baselines") == null ? null
                                : json.readValue(rs.getString("baselines"), BaselineReport.class)))
                .optional();
    }

    public Optional<Artifact> artifact(UUID id) {
        return jdbc.sql("select artifact, artifact_sha256, nade_model_id from agent where id = ?").param(id)
                .query((rs, n) -> new Artifact(rs.getBytes(1), rs.getString(2), rs.getObject(3, UUID.class)))
                .optional();
    }

    private AgentSummary mapSummary(ResultSet rs, int row) throws SQLException {
        long dataset = rs.getLong("dataset_id");
        return new AgentSummary(rs.getObject("id", UUID.class), rs.getObject("nade_model_id", UUID.class),
                rs.wasNull() ? null : dataset, rs.getObject("training_job_id", UUID.class),
                Objective.valueOf(rs.getString("objective")), rs.getLong("episodes"), rs.getInt("batch_size"),
                rs.getInt("steps"), rs.getLong("seed"), rs.getDouble("final_mean_objective"),
                rs.getDouble("training_seconds"), rs.getString("artifact_sha256"), rs.getInt("artifact_size"),
                rs.getTimestamp("created_at").toInstant());
    }
}
