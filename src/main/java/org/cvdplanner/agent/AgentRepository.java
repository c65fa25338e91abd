package org.cvdplanner.agent;

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

/** The agent, proposal and proposal_validation tables (db/V6__agents_and_proposals.sql). */
@Repository
class AgentRepository {

    private static final String SUMMARY_COLUMNS = "id, nade_model_id, dataset_id, training_job_id, objective, episodes, "
            + "batch_size, steps, seed, final_mean_objective, training_seconds, artifact_sha256, artifact_size, created_at";
    private static final String PROPOSAL_COLUMNS = "id, agent_id, request_id, position, mode, seed, rollouts, steps, "
            + "schedule, predicted_mean, predicted_p5, predicted_p95, objective, objective_value, final_2h, warnings, "
            + "created_at, method, horizon";

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    AgentRepository(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    record Artifact(byte[] bytes, String sha256, UUID nadeModelId) {
    }

    /** A proposal row. Arrays: schedule steps*4, forecasts steps*3. */
    record StoredProposal(UUID id, UUID agentId, UUID requestId, int position, ProposalMode mode, long seed,
            int rollouts, int steps, double[] schedule, float[] mean, float[] p5, float[] p95, Objective objective,
            double objectiveValue, double final2H, List<String> warnings, Instant createdAt, String method,
            Integer horizon) {
    }

    record StoredValidation(UUID id, UUID proposalId, int replicas, long seed, float[] mean, float[] p5, float[] p95,
            ValidationErrors errors, Instant createdAt) {
    }

    /** Inserts an agent unless its training job already stored one; returns the id stored for the job. */
    @Transactional
    UUID insert(UUID id, UUID trainingJobId, UUID nadeModelId, Agent agent, BaselineReport baselines) {
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

    Optional<UUID> findByJob(UUID trainingJobId) {
        return jdbc.sql("select id from agent where training_job_id = ?").param(trainingJobId).query(UUID.class)
                .optional();
    }

    Optional<AgentSummary> find(UUID id) {
        return jdbc.sql("select " + SUMMARY_COLUMNS + " from agent where id = ?").param(id).query(this::mapSummary)
                .optional();
    }

    /** Newest first; filtered by NADE model when not null. */
    List<AgentSummary> list(UUID nadeModelId, int limit) {
        if (nadeModelId == null) {
            return jdbc.sql("select " + SUMMARY_COLUMNS + " from agent order by created_at desc, id limit ?")
                    .param(limit).query(this::mapSummary).list();
        }
        return jdbc.sql("select " + SUMMARY_COLUMNS + " from agent where nade_model_id = ? "
                + "order by created_at desc, id limit ?").params(nadeModelId, limit).query(this::mapSummary).list();
    }

    Optional<AgentDetails> details(UUID id) {
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

    Optional<Artifact> artifact(UUID id) {
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

    @Transactional
    void insertProposals(List<StoredProposal> proposals) {
        for (StoredProposal p : proposals) {
            jdbc.sql("""
                    insert into proposal (id, agent_id, request_id, position, mode, seed, rollouts, steps, schedule,
                        predicted_mean, predicted_p5, predicted_p95, objective, objective_value, final_2h, warnings,
                        method, horizon)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)
                    """)
                    .params(p.id(), p.agentId(), p.requestId(), p.position(), p.mode().name(), p.seed(), p.rollouts(),
                            p.steps(), p.schedule(), p.mean(), p.p5(), p.p95(), p.objective().name(), p.objectiveValue(),
                            p.final2H(), json.writeValueAsString(p.warnings()), p.method(), p.horizon())
                    .update();
        }
    }

    Optional<StoredProposal> proposal(UUID id) {
        return jdbc.sql("select " + PROPOSAL_COLUMNS + " from proposal where id = ?").param(id)
                .query(this::mapProposal).optional();
    }

    List<StoredProposal> proposals(UUID agentId, int limit) {
        return jdbc.sql("select " + PROPOSAL_COLUMNS + " from proposal where agent_id = ? "
                + "order by created_at desc, request_id, position limit ?").params(agentId, limit)
                .query(this::mapProposal).list();
    }

    private StoredProposal mapProposal(ResultSet rs, int row) throws SQLException {
        return new StoredProposal(rs.getObject("id", UUID.class), rs.getObject("agent_id", UUID.class),
                rs.getObject("request_id", UUID.class), rs.getInt("position"), ProposalMode.valueOf(rs.getString("mode")),
                rs.getLong("seed"), rs.getInt("rollouts"), rs.getInt("steps"), doubles(rs.getArray("schedule")),
                floats(rs.getArray("predicted_mean")), floats(rs.getArray("predicted_p5")),
                floats(rs.getArray("predicted_p95")), Objective.valueOf(rs.getString("objective")),
                rs.getDouble("objective_value"), rs.getDouble("final_2h"),
                json.readValue(rs.getString("warnings"), new TypeReference<List<String>>() {
                }), rs.getTimestamp("created_at").toInstant(), rs.getString("method"),
                (Integer) rs.getObject("horizon"));
    }

    void insertValidation(StoredValidation v) {
        jdbc.sql("""
                insert into proposal_validation (id, proposal_id, replicas, seed, simulated_mean, simulated_p5,
                    simulated_p95, errors, simulated_final_2h)
                values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?)
                """)
                .params(v.id(), v.proposalId(), v.replicas(), v.seed(), v.mean(), v.p5(), v.p95(),
                        json.writeValueAsString(v.errors()), v.errors().simulatedFinal2H())
                .update();
    }

    List<StoredValidation> validations(UUID proposalId) {
        return jdbc.sql("select id, proposal_id, replicas, seed, simulated_mean, simulated_p5, simulated_p95, errors, "
                + "created_at from proposal_validation where proposal_id = ? order by created_at, id")
                .param(proposalId).query(this::mapValidation).list();
    }

    Optional<StoredValidation> validation(UUID id) {
        return jdbc.sql("select id, proposal_id, replicas, seed, simulated_mean, simulated_p5, simulated_p95, errors, "
                + "created_at from proposal_validation where id = ?").param(id).query(this::mapValidation).optional();
    }

    private StoredValidation mapValidation(ResultSet rs, int row) throws SQLException {
        return new StoredValidation(rs.getObject("id", UUID.class), rs.getObject("proposal_id", UUID.class),
                rs.getInt("replicas"), rs.getLong("seed"), floats(rs.getArray("simulated_mean")),
                floats(rs.getArray("simulated_p5")), floats(rs.getArray("simulated_p95")),
                json.readValue(rs.getString("errors"), ValidationErrors.class), rs.getTimestamp("created_at").toInstant());
    }

    private static float[] floats(Array array) throws SQLException {
        Object[] values = (Object[]) array.getArray();
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = ((Number) values[i]).floatValue();
        }
        return out;
    }

    private static double[] doubles(Array array) throws SQLException {
        Object[] values = (Object[]) array.getArray();
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = ((Number) values[i]).doubleValue();
        }
        return out;
    }
}
