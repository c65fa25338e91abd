package org.cvdplanner.agent.training;

import org.cvdplanner.agent.Agent;
import org.cvdplanner.agent.AgentDetails;
import org.cvdplanner.agent.AgentHyperParameters;
import org.cvdplanner.agent.AgentProperties;
import org.cvdplanner.agent.AgentRegistry;
import org.cvdplanner.agent.store.AgentRepository;
import org.cvdplanner.agent.AgentTrainer;
import org.cvdplanner.agent.AgentTrainingParameters;
import org.cvdplanner.agent.BaselineReport;
import org.cvdplanner.agent.Baselines;
import org.cvdplanner.agent.CrossEntropyOptimiser;
import org.cvdplanner.agent.InvalidAgentParameterException;
import org.cvdplanner.agent.RewardPoint;
import org.cvdplanner.artifact.Artifacts;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.cvdplanner.job.InvalidJobParametersException;
import org.cvdplanner.job.JobContext;
import org.cvdplanner.job.JobHandler;
import org.cvdplanner.job.JobResult;
import org.cvdplanner.nade.NadeModel;
import org.cvdplanner.nade.NadeModelInfo;
import org.cvdplanner.nade.NadeModels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The {@code agent-training} job: trains a REINFORCE agent against a stored NADE model, reporting
 * progress in episodes and the reward curve as metrics, saving a checkpoint (policy + Adam state
 * + batch counter) every {@code cvd-planner.agent.checkpoint-interval} so a killed job resumes
 * where it was; then compares the agent with the baselines and stores it in the registry (once
 * per job, whatever the number of runs). Cancellation stops it at the next batch.
 */
@Component
public class AgentTrainingJob implements JobHandler<AgentTrainingParameters> {

    public static final String TYPE = "agent-training";
    private static final Logger log = LoggerFactory.getLogger(AgentTrainingJob.class);
    private static final String TRAINED_ENTRY = "trained-agent.zip";
    private static final String TRAINED_SHA_ENTRY = "trained-agent.sha256";
    private static final String TRAINER_ENTRY = "trainer-checkpoint.zip";

    private final NadeModels nadeModels;
    private final AgentRegistry registry;
    private final AgentRepository repository;
    private final AgentProperties properties;

    AgentTrainingJob(NadeModels nadeModels, AgentRegistry registry, AgentRepository repository,
            AgentProperties properties) {
        this.nadeModels = nadeModels;
        this.registry = registry;
        this.repository = repository;
        this.properties = properties;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Class<AgentTrainingParameters> parametersType() {
        return AgentTrainingParameters.class;
    }

    @Override
    public void validate(AgentTrainingParameters p) {
        if (p.nadeModelId() == null) {
            throw new InvalidJobParametersException("nadeModelId", "is required");
        }
        NadeModelInfo model = nadeModels.find(p.nadeModelId()).orElseThrow(() -> new InvalidJobParametersException(
                "nadeModelId", "NADE model " + p.nadeModelId() + " does not exist"));
        if (p.episodes() != null && p.episodes() > properties.maxEpisodes()) {
            throw new InvalidJobParametersException("episodes", "must be at most " + properties.maxEpisodes());
        }
        try {
            p.hyperParameters(0, model.steps());
        } catch (InvalidAgentParameterException e) {
            throw new InvalidJobParametersException(e.field(), e.getMessage().substring(e.field().length() + 2));
        }
    }

    @Override
    public JobResult run(AgentTrainingParameters p, JobContext context) {
        var existing = registry.findByTrainingJob(context.jobId());
        if (existing.isPresent()) {
            return result(existing.get());
        }
        NadeModel nade = nadeModels.load(p.nadeModelId());
        AgentHyperParameters hp = p.hyperParameters(context.seed(), nade.steps());
        int threads = properties.effectiveThreads();
        Map<String, byte[]> saved = context.checkpoint().map(bytes -> Artifacts.unzip(bytes, Agent.MAX_ENTRY_BYTES, "agent")).orElse(Map.of());
        Agent agent;
        if (saved.containsKey(TRAINED_ENTRY)) {
            agent = Agent.fromBytes(saved.get(TRAINED_ENTRY), new String(saved.get(TRAINED_SHA_ENTRY)));
            log.info("agent-training {}: resuming after training, before the baselines", context.jobId());
        } else {
            agent = train(hp, nade, p.nadeModelId(), saved.get(TRAINER_ENTRY), threads, context);
            Map<String, byte[]> trained = new LinkedHashMap<>();
            trained.put(TRAINED_ENTRY, agent.toBytes());
            trained.put(TRAINED_SHA_ENTRY, agent.sha256().getBytes());
            context.saveCheckpoint(Artifacts.zip(trained));
        }
        context.throwIfCancelled();
        BaselineReport baselines = null;
        if (p.runBaselines()) {
            context.progress(hp.batches() * (long) hp.batchSize(), hp.batches() * (long) hp.batchSize(),
                    "episodes (baselines running)");
            baselines = new Baselines(properties.baselineRandomWalks(), properties.baselineAgentProposals(),
                    properties.baselineRollouts(), properties.baselineSimulatorReplicas(),
                    CrossEntropyOptimiser.DEFAULT, threads, properties.baselineRefineFraction())
                    .compare(agent, nade, context.seed());
        }
        context.throwIfCancelled();
        UUID id = repository.insert(UUID.randomUUID(), context.jobId(), p.nadeModelId(), agent, baselines);
        log.info("agent-training {}: stored agent {} (mean objective {} over the last tenth)", context.jobId(), id,
                agent.provenance().finalMeanObjective());
        return result(id);
    }

    private Agent train(AgentHyperParameters hp, NadeModel nade, UUID nadeModelId, byte[] resume, int threads,
            JobContext context) {
        long total = (long) hp.batches() * hp.batchSize();
        long startEpisodes = resume == null ? 0 : AgentTrainer.checkpointEpisodes(resume);
        context.progress(startEpisodes, total, "episodes");
        int metricEvery = Math.max(1, hp.batches() / properties.metricPoints());
        long intervalNanos = properties.checkpointInterval().toNanos();
        long[] lastCheckpoint = {System.nanoTime()};
        return new AgentTrainer(hp, threads).train(nade, nadeModelId.toString(), resume, (progress, checkpoint) -> {
            context.progress(progress.episodes(), progress.totalEpisodes(), "episodes");
            if (progress.batch() % metricEvery == 0 || progress.batch() == progress.batches()) {
                RewardPoint point = progress.point();
                context.metric("meanObjective", progress.episodes(), point.meanObjective());
                context.metric("meanReturn", progress.episodes(), point.meanReturn());
                context.metric("meanFinal2H", progress.episodes(), point.meanFinal2H());
                context.metric("policyLoss", progress.episodes(), progress.policyLoss());
                context.metric("valueLoss", progress.episodes(), progress.valueLoss());
            }
            context.throwIfCancelled();
            if (System.nanoTime() - lastCheckpoint[0] >= intervalNanos && progress.batch() < progress.batches()) {
                context.saveCheckpoint(Artifacts.zip(Map.of(TRAINER_ENTRY, checkpoint.get())));
                lastCheckpoint[0] = System.nanoTime();
            }
        });
    }

    private JobResult result(UUID agentId) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("agentId", agentId.toString());
        values.put("location", "/api/v1/agents/" + agentId);
        AgentDetails details = registry.get(agentId);
        values.put("finalMeanObjective", details.agent().finalMeanObjective());
        if (details.baselines() != null) {
            BaselineReport b = details.baselines();
            values.put("agentMeanObjective", b.agent().nadeMeanObjective());
            values.put("randomWalkMeanObjective", b.randomWalk().nadeMeanObjective());
            values.put("agentBestObjective", b.agent().nadeBestObjective());
            values.put("agentRefinedBestObjective", b.agentRefined().nadeBestObjective());
            values.put("crossEntropyObjective", b.crossEntropy().nadeBestObjective());
            values.put("randomWalkBestObjective", b.randomWalk().nadeBestObjective());
            values.put("winner", b.winner());
            values.put("winnerMargin", b.margin());
            values.put("warnings", b.warnings());
        }
        return new JobResult(values);
    }
}
