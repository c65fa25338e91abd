package org.cvdplanner.proposal.store;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.cvdplanner.agent.Objective;
import org.cvdplanner.agent.ProposalMode;
import org.cvdplanner.proposal.ValidationErrors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * The proposal and proposal_validation tables (db/V6__agents_and_proposals.sql): internal to the
 * proposal module (other modules go through {@link org.cvdplanner.proposal.Proposals}).
 */
@Repository
public class ProposalRepository {

    private static final String PROPOSAL_COLUMNS = "id, agent_id, request_id, position, mode, seed, rollouts, steps, "
            + "schedule, predicted_mean, predicted_p5, predicted_p95, objective, objective_value, final_2h, warnings, "
            + "created_at, method, horizon, external_ref";

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    ProposalRepository(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** A proposal row. Arrays: schedule steps*4, forecasts steps*3. */
    public record StoredProposal(UUID id, UUID agentId, UUID requestId, int position, ProposalMode mode, long seed,
            int rollouts, int steps, double[] schedule, float[] mean, float[] p5, float[] p95, Objective objective,
            double objectiveValue, double final2H, List<String> warnings, Instant createdAt, String method,
            Integer horizon, String externalRef) {
    }

    public record StoredValidation(UUID id, UUID proposalId, int replicas, long seed, float[] mean, float[] p5, float[] p95,
            ValidationErrors errors, Instant createdAt) {
    }

    @Transactional
    public void insertProposals(List<StoredProposal> proposals) {
        for (StoredProposal p : proposals) {
            jdbc.sql("""
                    insert into proposal (id, agent_id, request_id, position, mode, seed, rollouts, steps, schedule,
                        predicted_mean, predicted_p5, predicted_p95, objective, objective_value, final_2h, warnings,
                        method, horizon, external_ref)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)
                    """)
                    .params(p.id(), p.agentId(), p.requestId(), p.position(), p.mode().name(), p.seed(), p.rollouts(),
                            p.steps(), p.schedule(), p.mean(), p.p5(), p.p95(), p.objective().name(), p.objectiveValue(),
                            p.final2H(), json.writeValueAsString(p.warnings()), p.method(), p.horizon(), p.externalRef())
                    .update();
        }
    }

    public Optional<StoredProposal> proposal(UUID id) {
        return jdbc.sql("select " + PROPOSAL_COLUMNS + " from proposal where id = ?").param(id)
                .query(this::mapProposal).optional();
    }

    public List<StoredProposal> proposals(UUID agentId, int limit) {
        return proposals(agentId, null, limit);
    }

    /** Newest first; a null agent or reference does not filter. */
    public List<StoredProposal> proposals(UUID agentId, String externalRef, int limit) {
        return jdbc.sql("select " + PROPOSAL_COLUMNS + " from proposal where (cast(:agent as uuid) is null or agent_id = :agent)"
                + " and (cast(:ref as text) is null or external_ref = :ref)"
                + " order by created_at desc, request_id, position limit :limit")
                .param("agent", agentId).param("ref", externalRef).param("limit", limit)
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
                (Integer) rs.getObject("horizon"), rs.getString("external_ref"));
    }

    public void insertValidation(StoredValidation v) {
        jdbc.sql("""
                insert into proposal_validation (id, proposal_id, replicas, seed, simulated_mean, simulated_p5,
                    simulated_p95, errors, simulated_final_2h)
                values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?)
                """)
                .params(v.id(), v.proposalId(), v.replicas(), v.seed(), v.mean(), v.p5(), v.p95(),
                        json.writeValueAsString(v.errors()), v.errors().simulatedFinal2H())
                .update();
    }

    public List<StoredValidation> validations(UUID proposalId) {
        return jdbc.sql("select id, proposal_id, replicas, seed, simulated_mean, simulated_p5, simulated_p95, errors, "
                + "created_at from proposal_validation where proposal_id = ? order by created_at, id")
                .param(proposalId).query(this::mapValidation).list();
    }

    public Optional<StoredValidation> validation(UUID id) {
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
