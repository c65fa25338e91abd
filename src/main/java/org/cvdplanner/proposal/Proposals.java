package org.cvdplanner.proposal;

import org.cvdplanner.agent.AgentHyperParameters;
import org.cvdplanner.agent.AgentNotFoundException;
import org.cvdplanner.agent.AgentRegistry;
import org.cvdplanner.agent.BaselineReport;
import org.cvdplanner.agent.InvalidAgentParameterException;
import org.cvdplanner.agent.InvalidAgentRequestException;
import org.cvdplanner.agent.ProposalMode;
import org.cvdplanner.agent.ProposalSettings;
import org.cvdplanner.agent.ProposedSchedule;
import org.cvdplanner.agent.RewardFunction;
import org.cvdplanner.agent.ScheduleForecasts;
import org.cvdplanner.agent.SimulatorTrajectories;
import org.cvdplanner.simulation.Seeds;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.cvdplanner.nade.NadeModel;
import org.cvdplanner.nade.NadeModels;
import org.cvdplanner.simulation.ReplicaSummary;
import org.cvdplanner.simulation.SimulatorService;
import org.cvdplanner.synthesis.ConditionVector;
import org.cvdplanner.synthesis.PhaseVector;
import org.cvdplanner.synthesis.Schedule;
import org.cvdplanner.proposal.store.ProposalRepository;
import org.cvdplanner.system.ExternalRefs;
import org.springframework.stereotype.Service;

/**
 * Schedules proposed by trained agents (for HTTP and other features): propose and store them with
 * their NADE forecasts, read them back as recipes, and validate them on the built-in simulator.
 */
@Service
public class Proposals {

    static final double STEP_NS = 1.0;
    static final int DEFAULT_REPLICAS = 16;
    private static final String[] GASES = {"temperatureK", "s2", "h2", "h2s"};

    private final AgentRegistry registry;
    private final ProposalRepository repository;
    private final NadeModels nadeModels;
    private final SimulatorService simulator;
    private final ProposalProperties properties;
    private final SecureRandom seeds = new SecureRandom();

    Proposals(AgentRegistry registry, ProposalRepository repository, NadeModels nadeModels, SimulatorService simulator,
            ProposalProperties properties) {
        this.registry = registry;
        this.repository = repository;
        this.nadeModels = nadeModels;
        this.simulator = simulator;
        this.properties = properties;
    }

    /**
     * Proposes and stores {@code request.count()} schedules, best objective value first.
     *
     * @throws AgentNotFoundException when the agent does not exist
     * @throws InvalidAgentRequestException naming the field at fault
     */
    public List<ProposalView> propose(UUID agentId, ProposalRequest request) {
        ProposalRequest r = request != null ? request : new ProposalRequest(null, null, null, null, null, null, null);
        String externalRef = ExternalRefs.check(r.externalRef());
        AgentRegistry.LoadedAgent loaded = registry.load(agentId);
        int count = r.count() != null ? r.count() : 1;
        if (count < 1 || count > properties.maxProposals()) {
            throw new InvalidAgentRequestException("count", "must be between 1 and " + properties.maxProposals());
        }
        int rollouts = r.rollouts() != null ? r.rollouts() : properties.defaultRollouts();
        if (rollouts < 1 || rollouts > ProposalSettings.MAX_ROLLOUTS) {
            throw new InvalidAgentRequestException("rollouts", "must be between 1 and " + ProposalSettings.MAX_ROLLOUTS);
        }
        if ((long) count * rollouts > properties.maxForecastRows()) {
            throw new InvalidAgentRequestException("rollouts", count + " proposals x " + rollouts + " rollouts exceeds "
                    + properties.maxForecastRows() + " forecast rows per request");
        }
        ProposalMode mode = InvalidAgentRequestException.proposalMode(r.mode());
        long seed = r.seed() != null ? r.seed() : seeds.nextLong();
        ConditionVector x0 = r.initialConditions();
        if (x0 != null && !loaded.agent().hyperParameters().bounds().contains(x0)) {
            throw new InvalidAgentRequestException("initialConditions", "must lie inside the agent's bounds "
                    + loaded.agent().hyperParameters().bounds());
        }
        AgentHyperParameters hp = loaded.agent().hyperParameters();
        if (x0 != null) {
            for (int c = 1; c < 4; c++) {
                if (hp.fixed(c) != null && x0.get(c) != hp.fixed(c)) {
                    throw new InvalidAgentRequestException("initialConditions." + GASES[c], "must equal the fixed value "
                            + hp.fixed(c) + " the agent was trained with");
                }
            }
        }
        int steps = r.steps() != null ? r.steps() : hp.steps();
        if (steps < 3 || steps > ProposalSettings.MAX_STEPS) {
            throw new InvalidAgentRequestException("steps", "must be between 3 and " + ProposalSettings.MAX_STEPS);
        }
        NadeModel nade = nadeModels.load(loaded.nadeModelId());
        List<ProposedSchedule> proposed = new ArrayList<>();
        List<String> methods = new ArrayList<>();
        List<String> extra = new ArrayList<>();
        BaselineReport comparison = registry.get(agentId).baselines();
        boolean winnerApplies = comparison != null && !"agent".equals(comparison.winner()) && x0 == null
                && steps == hp.steps();
        if (comparison != null) {
            extra.addAll(comparison.warnings());
            if (!"agent".equals(comparison.winner()) && !winnerApplies) {
                extra.add("the agent's comparison was won by " + comparison.winner() + ", whose schedule fits only the"
                        + " default initial conditions and length; these proposals come from the agent's policy");
            }
        }
        if (steps > hp.steps()) {
            extra.add("steps " + hp.steps() + " to " + (steps - 1) + " lie past the NADE model's training horizon of "
                    + hp.steps() + " steps: the prediction extrapolates there");
        }
        try {
            int agentCount = winnerApplies ? count - 1 : count;
            if (winnerApplies) {
                proposed.addAll(ScheduleForecasts.forecast(nade, RewardFunction.of(hp),
                        List.of(comparison.best().bestSchedule()), rollouts, Seeds.derive(seed, 2)));
                methods.add(comparison.winner());
            }
            if (agentCount > 0) {
                int threads = agentCount >= 64 ? properties.effectiveThreads() : 1;
                proposed.addAll(loaded.agent().propose(nade, new ProposalSettings(agentCount, x0, mode, seed, rollouts,
                        steps), threads));
                while (methods.size() < proposed.size()) {
                    methods.add("agent");
                }
            }
        } catch (InvalidAgentParameterException e) {
            throw InvalidAgentRequestException.of(e);
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < proposed.size(); i++) {
            order.add(i);
        }
        order.sort((a, b) -> Double.compare(proposed.get(b).objectiveValue(), proposed.get(a).objectiveValue()));
        UUID requestId = UUID.randomUUID();
        List<ProposalRepository.StoredProposal> rows = new ArrayList<>(count);
        for (int position = 0; position < order.size(); position++) {
            ProposedSchedule p = proposed.get(order.get(position));
            List<String> warnings = new ArrayList<>(p.warnings());
            warnings.addAll(extra);
            rows.add(new ProposalRepository.StoredProposal(UUID.randomUUID(), agentId, requestId, position, mode, seed,
                    rollouts, p.schedule().length(), p.schedule().conditionsFlat(), flatten(p.forecast().mean()),
                    flatten(p.forecast().p5()), flatten(p.forecast().p95()), loaded.agent().objective(),
                    p.objectiveValue(), p.final2H(), warnings, null, methods.get(order.get(position)), hp.steps(),
                    externalRef));
        }
        repository.insertProposals(rows);
        List<ProposalView> views = new ArrayList<>(rows.size());
        for (ProposalRepository.StoredProposal row : rows) {
            views.add(get(row.id()));
        }
        return views;
    }

    /** @throws ProposalNotFoundException when there is none */
    public ProposalView get(UUID id) {
        return view(stored(id));
    }

    /** The newest proposals of an agent. @throws AgentNotFoundException when the agent does not exist */
    public List<ProposalView> list(UUID agentId, int limit) {
        return list(agentId, null, limit);
    }

    /**
     * The newest proposals of an agent (or of every agent when {@code agentId} is null), only
     * those with {@code externalRef} when it is given.
     *
     * @throws AgentNotFoundException when the agent does not exist
     */
    public List<ProposalView> list(UUID agentId, String externalRef, int limit) {
        ExternalRefs.check(externalRef);
        if (agentId != null) {
            registry.find(agentId).orElseThrow(() -> new AgentNotFoundException(agentId));
        }
        return repository.proposals(agentId, externalRef, Math.max(1, Math.min(limit, 1000))).stream().map(this::view)
                .toList();
    }

    /** The schedule as a recipe: step, time (ns), temperature (K), S2, H2, H2S. */
    public List<RecipeStep> recipe(UUID id) {
        return recipe(stored(id));
    }

    ProposalRepository.StoredProposal stored(UUID id) {
        return repository.proposal(id).orElseThrow(() -> new ProposalNotFoundException(id));
    }

    /**
     * Runs a proposal through the simulator and stores the comparison with its forecast.
     *
     * @throws ProposalNotFoundException when there is none
     */
    public ValidationView validate(UUID proposalId, ValidationRequest request) {
        ProposalRepository.StoredProposal p = stored(proposalId);
        int replicas = request != null && request.replicas() != null ? request.replicas() : DEFAULT_REPLICAS;
        long seed = request != null && request.seed() != null ? request.seed() : seeds.nextLong();
        ReplicaSummary summary = simulator.run(schedule(p), replicas, seed);
        double[][] simulated = SimulatorTrajectories.mean(summary);
        RewardFunction reward = RewardFunction.of(registry.load(p.agentId()).agent().hyperParameters());
        ValidationErrors errors = ValidationErrors.compare(rows(p.mean(), p.steps()), rows(p.p5(), p.steps()),
                rows(p.p95(), p.steps()), simulated, reward);
        ProposalRepository.StoredValidation v = new ProposalRepository.StoredValidation(UUID.randomUUID(), proposalId,
                replicas, seed, flatten(simulated), flatten(SimulatorTrajectories.p5(summary)),
                flatten(SimulatorTrajectories.p95(summary)), errors, null);
        repository.insertValidation(v);
        return validation(proposalId, v.id());
    }

    /** @throws ProposalNotFoundException when the proposal or the validation does not exist */
    public ValidationView validation(UUID proposalId, UUID validationId) {
        ProposalRepository.StoredProposal p = stored(proposalId);
        ProposalRepository.StoredValidation v = repository.validation(validationId)
                .filter(found -> found.proposalId().equals(proposalId))
                .orElseThrow(() -> new ProposalNotFoundException(proposalId).with("validationId", validationId));
        return view(p, v);
    }

    public List<ValidationView> validations(UUID proposalId) {
        ProposalRepository.StoredProposal p = stored(proposalId);
        return repository.validations(proposalId).stream().map(v -> view(p, v)).toList();
    }

    List<ProposalRepository.StoredValidation> storedValidations(UUID proposalId) {
        return repository.validations(proposalId);
    }

    private ValidationView view(ProposalRepository.StoredProposal p, ProposalRepository.StoredValidation v) {
        List<ComparedStep> steps = new ArrayList<>(p.steps());
        for (int t = 0; t < p.steps(); t++) {
            steps.add(new ComparedStep(t, phase(p.mean(), t), phase(p.p5(), t), phase(p.p95(), t), phase(v.mean(), t),
                    phase(v.p5(), t), phase(v.p95(), t)));
        }
        return new ValidationView(v.id(), p.id(), v.replicas(), v.seed(), v.errors().predictedFinal2H(),
                v.errors().simulatedFinal2H(), v.errors(), steps, v.createdAt());
    }

    private ProposalView view(ProposalRepository.StoredProposal p) {
        List<PredictedStep> predicted = new ArrayList<>(p.steps());
        for (int t = 0; t < p.steps(); t++) {
            predicted.add(new PredictedStep(t, t * STEP_NS, phase(p.mean(), t), phase(p.p5(), t), phase(p.p95(), t),
                    p.horizon() != null && t >= p.horizon()));
        }
        List<UUID> validations = repository.validations(p.id()).stream().map(ProposalRepository.StoredValidation::id)
                .toList();
        return new ProposalView(p.id(), p.agentId(), p.requestId(), p.position(), p.mode(), p.seed(), p.rollouts(),
                p.objective(), p.objectiveValue(), p.final2H(), p.warnings(), recipe(p), predicted, validations,
                p.createdAt(), p.method(), p.horizon() != null ? p.horizon() : p.steps(), p.externalRef());
    }

    static List<RecipeStep> recipe(ProposalRepository.StoredProposal p) {
        List<RecipeStep> steps = new ArrayList<>(p.steps());
        double[] x = p.schedule();
        for (int t = 0; t < p.steps(); t++) {
            steps.add(new RecipeStep(t, t * STEP_NS, x[t * 4], x[t * 4 + 1], x[t * 4 + 2], x[t * 4 + 3]));
        }
        return steps;
    }

    static Schedule schedule(ProposalRepository.StoredProposal p) {
        return Schedule.ofConditionsFlat(p.schedule(), 0, p.steps());
    }

    static PhaseVector phase(float[] flat, int t) {
        return new PhaseVector(flat[t * 3], flat[t * 3 + 1], flat[t * 3 + 2]);
    }

    static double[][] rows(float[] flat, int steps) {
        double[][] z = new double[steps][3];
        for (int t = 0; t < steps; t++) {
            for (int k = 0; k < 3; k++) {
                z[t][k] = flat[t * 3 + k];
            }
        }
        return z;
    }

    static float[] flatten(double[][] z) {
        float[] f = new float[z.length * 3];
        for (int t = 0; t < z.length; t++) {
            for (int k = 0; k < 3; k++) {
                f[t * 3 + k] = (float) z[t][k];
            }
        }
        return f;
    }


    /** When 1T and 2H appear and peak along a proposal, predicted and (if validated) simulated. */
    public PhaseOrderView phaseOrder(UUID proposalId) {
        ProposalRepository.StoredProposal p = stored(proposalId);
        PhaseOrder predicted = PhaseOrder.of(rows(p.mean(), p.steps()));
        List<ProposalRepository.StoredValidation> validations = storedValidations(proposalId);
        UUID validationId = null;
        PhaseOrder simulated = null;
        if (!validations.isEmpty()) {
            ProposalRepository.StoredValidation latest = validations.get(validations.size() - 1);
            validationId = latest.id();
            simulated = PhaseOrder.of(rows(latest.mean(), p.steps()));
        }
        return new PhaseOrderView(proposalId, predicted, validationId, simulated,
                ScheduleShape.of(schedule(p)));
    }
}
