package org.cvdplanner.agent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.cvdplanner.nade.NadeModel;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Trains REINFORCE-with-baseline agents against a NADE-CVD model (DESIGN.md, "The agent"). Holds
 * only hyper-parameters and the thread count; {@link #train} returns an immutable {@link Agent}.
 *
 * <p>Per batch: {@code batchSize} episodes run in parallel against the model (one NADE step per
 * environment step for the whole batch); returns G_t = Σ γ^k r_{t+k}; advantages G_t − V(s_t)
 * (optionally standardised); one Adam step on the policy-gradient loss plus the value head's
 * smooth-L1 loss, the gradient clipped to a global L2 norm.
 *
 * <p>Deterministic for a given model, hyper-parameters and thread count on one backend, and
 * resumable: the checkpoint handed to {@link AgentTrainingListener#afterBatch} continues the same
 * run (same Adam state, same random streams) when passed back as {@code resumeFrom}.
 */
public final class AgentTrainer {

    static final String CHECKPOINT_FORMAT = Agent.FORMAT + "-checkpoint";
    static final String STATE_ENTRY = "state.json";
    static final String NETWORK_ENTRY = "policy-with-updater.zip";
    /** Reward-curve points kept at most (one per batch, thinned evenly beyond). */
    static final int MAX_CURVE_POINTS = 2000;

    private final AgentHyperParameters hp;
    private final int threads;

    public AgentTrainer(AgentHyperParameters hyperParameters) {
        this(hyperParameters, Runtime.getRuntime().availableProcessors());
    }

    /** @param threads threads that run the episodes of a batch (results are reproducible per thread count) */
    public AgentTrainer(AgentHyperParameters hyperParameters, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1");
        }
        this.hp = hyperParameters;
        this.threads = threads;
    }

    public AgentHyperParameters hyperParameters() {
        return hp;
    }

    record State(String format, AgentHyperParameters hyperParameters, String nadeModelSha256, int nextBatch,
            double trainingSeconds, List<RewardPoint> rewardCurve) {
    }

    public Agent train(NadeModel nade, AgentTrainingListener listener) {
        return train(nade, null, null, listener);
    }

    /**
     * @param nadeModelId recorded in the provenance (may be null)
     * @param resumeFrom a checkpoint of an earlier run of this trainer on the same model, or null
     * @throws IllegalArgumentException when the checkpoint belongs to another model or settings
     */
    public Agent train(NadeModel nade, String nadeModelId, byte[] resumeFrom, AgentTrainingListener listener) {
        if (hp.steps() != nade.steps()) {
            throw new InvalidAgentParameterException("steps", "must equal the NADE model's profile length "
                    + nade.steps() + ", got " + hp.steps());
        }
        ComputationGraph net;
        int startBatch;
        double seconds;
        List<RewardPoint> curve;
        if (resumeFrom != null) {
            Map<String, byte[]> entries = AgentArtifacts.unzip(resumeFrom);
            State state = AgentArtifacts.JSON.readValue(AgentArtifacts.require(entries, STATE_ENTRY), State.class);
            if (!CHECKPOINT_FORMAT.equals(state.format()) || !hp.equals(state.hyperParameters())
                    || !nade.sha256().equalsIgnoreCase(state.nadeModelSha256())) {
                throw new IllegalArgumentException(
                        "the checkpoint belongs to a run with other hyper-parameters or another NADE model");
            }
            net = PolicyNetworks.read(AgentArtifacts.require(entries, NETWORK_ENTRY), true);
            startBatch = state.nextBatch();
            seconds = state.trainingSeconds();
            curve = new ArrayList<>(state.rewardCurve());
        } else {
            net = PolicyNetworks.create(hp);
            startBatch = 0;
            seconds = 0;
            curve = new ArrayList<>();
        }
        int batches = hp.batches();
        int rows = hp.batchSize();
        int actions = hp.actionsPerEpisode();
        int n = rows * actions;
        PolicyLearner learner = new PolicyLearner(net, hp);
        PolicyWeights policy = new PolicyWeights(net);
        float[] returns = new float[n];
        float[] advantages = new float[n];
        int thin = Math.max(1, (batches + MAX_CURVE_POINTS - 1) / MAX_CURVE_POINTS);
        try (EpisodeRunner runner = new EpisodeRunner(nade, hp, threads)) {
            boolean perStep = hp.objective() != Objective.MAX_FINAL_2H;
            for (int k = startBatch; k < batches; k++) {
                long started = System.nanoTime();
                EpisodeBatch batch = runner.run(policy, rows, true, hp.sampleEnvironment(), AgentSeeds.derive(hp.seed(), k),
                        null, true);
                double returnSum = 0;
                double final2H = 0;
                for (int r = 0; r < rows; r++) {
                    double g = 0;
                    for (int t = actions - 1; t >= 0; t--) {
                        int i = r * actions + t;
                        g = batch.rewards[i] + hp.gamma() * g;
                        returns[i] = (float) g;
                        advantages[i] = (float) (g - batch.values[i]);
                    }
                    returnSum += batch.episodeReturn(r);
                    final2H += batch.predicted(r, hp.steps() - 1, 0);
                }
                if (hp.normaliseAdvantages()) {
                    standardise(advantages);
                }
                PolicyLearner.UpdateStats stats = learner.update(batch.states, batch.actionsTaken, advantages, returns,
                        batch.values, n, k);
                policy = new PolicyWeights(net);
                seconds += (System.nanoTime() - started) / 1e9;
                double meanReturn = returnSum / rows;
                RewardPoint point = new RewardPoint((long) (k + 1) * rows, meanReturn,
                        perStep ? meanReturn / actions : meanReturn, final2H / rows);
                if ((k + 1) % thin == 0 || k == batches - 1) {
                    curve.add(point);
                }
                int next = k + 1;
                double secondsNow = seconds;
                List<RewardPoint> curveNow = curve;
                listener.afterBatch(new TrainingProgress(next, batches, (long) next * rows, (long) batches * rows, point,
                        stats.policyLoss(), stats.valueLoss(), stats.gradientNorm(), seconds),
                        () -> checkpoint(net, new State(CHECKPOINT_FORMAT, hp, nade.sha256(), next, secondsNow,
                                curveNow)));
            }
        }
        AgentProvenance provenance = new AgentProvenance(nadeModelId, nade.sha256(),
                nade.provenance() == null ? null : nade.provenance().datasetId(), (long) batches * rows, batches,
                threads, AgentArtifacts.dl4jVersion(), AgentArtifacts.nd4jBackend(), System.getProperty("java.version"),
                Instant.now(), seconds, finalMean(curve));
        return Agent.create(net, hp, provenance, curve);
    }

    private static double finalMean(List<RewardPoint> curve) {
        if (curve.isEmpty()) {
            return Double.NaN;
        }
        int from = curve.size() - Math.max(1, curve.size() / 10);
        double sum = 0;
        for (int i = from; i < curve.size(); i++) {
            sum += curve.get(i).meanObjective();
        }
        return sum / (curve.size() - from);
    }

    static void standardise(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += v;
        }
        double mean = sum / values.length;
        double squares = 0;
        for (float v : values) {
            squares += (v - mean) * (v - mean);
        }
        double std = Math.sqrt(squares / values.length);
        double scale = 1 / (std + 1e-8);
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) ((values[i] - mean) * scale);
        }
    }

    static byte[] checkpoint(ComputationGraph net, State state) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(STATE_ENTRY, AgentArtifacts.JSON.writeValueAsBytes(state));
        entries.put(NETWORK_ENTRY, PolicyNetworks.write(net, true));
        return AgentArtifacts.zip(entries);
    }

    /** Episodes a checkpoint has completed, without restoring it. */
    public static long checkpointEpisodes(byte[] checkpoint) {
        State state = AgentArtifacts.JSON.readValue(
                AgentArtifacts.require(AgentArtifacts.unzip(checkpoint), STATE_ENTRY), State.class);
        return (long) state.nextBatch() * state.hyperParameters().batchSize();
    }
}
