package org.cvdplanner.labresult;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.cvdplanner.proposal.PredictedStep;
import org.cvdplanner.proposal.ProposalView;
import org.cvdplanner.proposal.Proposals;
import org.cvdplanner.proposal.RecipeStep;
import org.cvdplanner.profile.DatasetNotFoundException;
import org.cvdplanner.profile.DatasetSummary;
import org.cvdplanner.profile.Datasets;
import org.cvdplanner.synthesis.ConditionVector;
import org.cvdplanner.synthesis.PhaseVector;
import org.cvdplanner.synthesis.Schedule;
import org.cvdplanner.synthesis.SynthesisProfile;
import org.cvdplanner.synthesis.Trajectory;
import org.cvdplanner.system.ExternalRefs;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Accepts, compares and lists lab results. */
@Service
class LabResults {

    static final double PHASE_SUM_TOLERANCE = 0.01;

    private final Proposals proposals;
    private final Datasets datasets;
    private final JdbcClient jdbc;
    private final JsonMapper json;

    LabResults(Proposals proposals, Datasets datasets, JdbcClient jdbc, JsonMapper json) {
        this.proposals = proposals;
        this.datasets = datasets;
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Checks, compares and stores a result; a whole one becomes a profile in the same transaction. */
    @Transactional
    public LabResultView receive(UUID proposalId, LabResultRequest request) {
        ProposalView proposal = proposals.get(proposalId);
        int horizon = proposal.horizon();
        if (request.datasetId() == null) {
            throw new InvalidLabResultException("datasetId", null, "is required: the dataset that receives the result");
        }
        DatasetSummary dataset = datasets.find(request.datasetId())
                .orElseThrow(() -> new DatasetNotFoundException(request.datasetId()));
        List<LabResultView.MeasuredStep> steps = check(request.steps(), horizon);
        boolean whole = steps.size() == horizon;
        if (whole && dataset.stepCount() != horizon) {
            throw new InvalidLabResultException("datasetId", null, "dataset " + dataset.id() + " holds "
                    + dataset.stepCount() + "-step profiles; this proposal has " + horizon + " steps");
        }
        String externalRef = ExternalRefs.check(request.externalRef());
        UUID id = UUID.randomUUID();
        String profileId = null;
        if (whole) {
            profileId = blankToNull(request.externalId()) == null ? "lab-" + proposalId + "-" + id.toString().substring(0, 8)
                    : request.externalId().trim();
            datasets.store(dataset.id(), List.of(profile(profileId, proposal.schedule(), steps)));
        }
        LabResultView.Comparison comparison = compare(steps, proposal.predicted());
        jdbc.sql("""
                insert into lab_result (id, proposal_id, agent_id, dataset_id, profile_id, external_ref, steps_measured,
                    whole, measured, comparison)
                values (:id, :proposal, :agent, :dataset, :profile, :ref, :n, :whole, cast(:measured as jsonb),
                    cast(:comparison as jsonb))""")
                .param("id", id).param("proposal", proposalId).param("agent", proposal.agentId())
                .param("dataset", dataset.id()).param("profile", profileId).param("ref", externalRef)
                .param("n", steps.size()).param("whole", whole).param("measured", json.writeValueAsString(steps))
                .param("comparison", json.writeValueAsString(comparison)).update();
        return get(id);
    }

    private static List<LabResultView.MeasuredStep> check(List<LabResultView.MeasuredStep> steps, int horizon) {
        if (steps == null || steps.isEmpty()) {
            throw new InvalidLabResultException("steps", null, "at least one measured step is needed");
        }
        if (steps.size() > horizon) {
            throw new InvalidLabResultException("steps", null, steps.size() + " steps; the proposal has " + horizon);
        }
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < steps.size(); i++) {
            LabResultView.MeasuredStep step = steps.get(i);
            if (step == null) {
                throw new InvalidLabResultException("steps[" + i + "]", null, "must not be null");
            }
            if (step.t() < 0 || step.t() >= horizon) {
                throw new InvalidLabResultException("steps[" + i + "].t", step.t(), "must be 0 to " + (horizon - 1));
            }
            if (!seen.add(step.t())) {
                throw new InvalidLabResultException("steps[" + i + "].t", step.t(), "step " + step.t() + " appears twice");
            }
            double[] phases = {step.phase2H(), step.phase1T(), step.phaseDefect()};
            String[] names = {"phase2H", "phase1T", "phaseDefect"};
            for (int k = 0; k < 3; k++) {
                if (!Double.isFinite(phases[k]) || phases[k] < 0 || phases[k] > 1) {
                    throw new InvalidLabResultException("steps[" + i + "]." + names[k], step.t(), "must be a fraction 0 to 1");
                }
            }
            double sum = phases[0] + phases[1] + phases[2];
            if (Math.abs(sum - 1) > PHASE_SUM_TOLERANCE) {
                throw new InvalidLabResultException("steps[" + i + "]", step.t(),
                        "phase fractions sum to " + sum + "; they must sum to 1 ± " + PHASE_SUM_TOLERANCE);
            }
        }
        return steps.stream().sorted((a, b) -> Integer.compare(a.t(), b.t())).toList();
    }

    private static SynthesisProfile profile(String id, List<RecipeStep> schedule, List<LabResultView.MeasuredStep> steps) {
        List<ConditionVector> conditions = schedule.stream()
                .map(s -> new ConditionVector(s.temperatureK(), s.s2(), s.h2(), s.h2s())).toList();
        List<PhaseVector> phases = steps.stream().map(s -> new PhaseVector(s.phase2H(), s.phase1T(), s.phaseDefect())).toList();
        return new SynthesisProfile(id, new Schedule(conditions), new Trajectory(phases));
    }

    static LabResultView.Comparison compare(List<LabResultView.MeasuredStep> steps, List<PredictedStep> predicted) {
        double[] abs = new double[3];
        double[] sq = new double[3];
        int inside = 0;
        List<LabResultView.ComparedStep> compared = new ArrayList<>();
        for (LabResultView.MeasuredStep step : steps) {
            PredictedStep p = predicted.get(step.t());
            double[] m = {step.phase2H(), step.phase1T(), step.phaseDefect()};
            boolean[] in = new boolean[3];
            double[] err = new double[3];
            for (int k = 0; k < 3; k++) {
                err[k] = m[k] - p.mean().get(k);
                abs[k] += Math.abs(err[k]);
                sq[k] += err[k] * err[k];
                in[k] = m[k] >= p.p5().get(k) && m[k] <= p.p95().get(k);
                inside += in[k] ? 1 : 0;
            }
            compared.add(new LabResultView.ComparedStep(step.t(), new LabResultView.PerPhase(m[0], m[1], m[2]),
                    new LabResultView.PerPhase(p.mean().phase2H(), p.mean().phase1T(), p.mean().phaseDefect()),
                    new LabResultView.PerPhase(err[0], err[1], err[2]), in[0], in[1], in[2]));
        }
        int n = steps.size();
        LabResultView.MeasuredStep last = steps.get(n - 1);
        Double final2H = last.t() == predicted.size() - 1 ? last.phase2H() - predicted.get(last.t()).mean().phase2H() : null;
        return new LabResultView.Comparison(new LabResultView.PerPhase(abs[0] / n, abs[1] / n, abs[2] / n),
                new LabResultView.PerPhase(Math.sqrt(sq[0] / n), Math.sqrt(sq[1] / n), Math.sqrt(sq[2] / n)),
                (double) inside / (3.0 * n), final2H, final2H == null ? null : final2H * PhaseVector.MO_ATOMS, compared);
    }

    LabResultView get(UUID id) {
        return jdbc.sql("select * from lab_result where id = :id").param("id", id).query(this::map).optional()
                .orElseThrow(() -> new LabResultNotFoundException(id));
    }

    List<LabResultView> forProposal(UUID proposalId) {
        proposals.get(proposalId);
        return jdbc.sql("select * from lab_result where proposal_id = :id order by created_at, id").param("id", proposalId)
                .query(this::map).list();
    }

    List<LabResultView> forAgent(UUID agentId, String externalRef) {
        ExternalRefs.check(externalRef);
        return jdbc.sql("select * from lab_result where agent_id = :id and (cast(:ref as text) is null or external_ref = :ref)"
                + " order by created_at, id").param("id", agentId).param("ref", externalRef).query(this::map).list();
    }

    private LabResultView map(ResultSet rs, int row) throws SQLException {
        return new LabResultView(rs.getObject("id", UUID.class), rs.getObject("proposal_id", UUID.class),
                rs.getObject("agent_id", UUID.class), (Long) rs.getObject("dataset_id"), rs.getString("profile_id"),
                rs.getString("external_ref"), rs.getBoolean("whole"), rs.getInt("steps_measured"),
                json.readValue(rs.getString("comparison"), LabResultView.Comparison.class),
                json.readValue(rs.getString("measured"), new TypeReference<List<LabResultView.MeasuredStep>>() {
                }), rs.getTimestamp("created_at").toInstant());
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
