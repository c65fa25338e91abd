package org.cvdplanner.agent;

import org.cvdplanner.artifact.Artifacts;
import org.cvdplanner.simulation.Seeds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.cvdplanner.nade.NadeModel;

/**
 * Trains REINFORCE-with-baseline agents against a NADE-CVD model (DESIGN.md, "The agent"). Holds
 * only hyper-parameters and the thread count; {@link #train} returns an immutable {@link Agent}.
 *
 * <p>Per batch: {@code batchSize} episodes run in parallel against the model (one NADE step per
 * environment step for the whole batch); returns G_t = Σ γ^k r_{t+k}; advantages G_t − V(s_t)
 * (optionally standardised); one Adam step on the policy-gradient loss plus the value head's
 * smooth-L1 loss (and the initial-condition head's, with the episode's standardised return as
 * advantage), the gradient clipped to a global L2 norm. σ decays geometrically with the batches
 * that carried any reward signal. The best episodes seen are kept as candidate schedules.
 *
 * <p>Deterministic for a given model, hyper-parameters and thread count on one backend, and
 * resumable: the checkpoint handed to {@link AgentTrainingListener#afterBatch} continues the same
 * run (same Adam state, same random streams) when passed back as {@code resumeFrom}.
 */
public final class AgentTrainer {

    static final String CHECKPOINT_FORMAT = Agent.FORMAT + "-checkpoint";
    static final String STATE_ENTRY = "state.json";
    static final String NETWORK_ENTRY = "policy.bin";
    static final String ADAM_M_ENTRY = "adam-m.bin";
    static final String ADAM_V_ENTRY = "adam-v.bin";
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

    /** An episode found during training, kept as a candidate schedule (steps × 4 flat). */
    record Elite(double score, double[] schedule) {
    }

    /** Elite episodes kept per run (by their sampled objective value; re-scored by forecast later). */
    static final int ELITES = 8;

    record State(String format, AgentHyperParameters hyperParameters, String nadeModelSha256, int nextBatch,
            double trainingSeconds, List<RewardPoint> rewardCurve, int informativeBatches, List<Elite> elites) {
    }

    public Agent train(NadeModel nade, AgentTrainingListener listener) {
        return train(nade, null, null, listener);
    }

    /** σ after {@code informative} batches that found any reward signal, of {@code batches}. */
    static double sigma(AgentHyperParameters hp, int informative, int batches) {
        double progress = Math.min(1.0, informative / (double) Math.max(1, batches));
        return hp.sigma() * Math.pow(hp.sigmaFinal() / hp.sigma(), progress);
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
        PolicyLearner learner;
        int startBatch;
        double seconds;
        List<RewardPoint> curve;
        int informative;
        List<Elite> elites;
        if (resumeFrom != null) {
            Map<String, byte[]> entries = Artifacts.unzip(resumeFrom, Agent.MAX_ENTRY_BYTES, "agent");
            State state = Artifacts.JSON.readValue(Artifacts.require(entries, STATE_ENTRY), State.class);
            if (!CHECKPOINT_FORMAT.equals(state.format()) || !hp.equals(state.hyperParameters())
                    || !nade.sha256().equalsIgnoreCase(state.nadeModelSha256())) {
                throw new IllegalArgumentException(
                        "the checkpoint belongs to a run with other hyper-parameters or another NADE model");
            }
            learner = new PolicyLearner(new PolicyNet(floats(Artifacts.require(entries, NETWORK_ENTRY))), hp,
                    floats(Artifacts.require(entries, ADAM_M_ENTRY)),
                    floats(Artifacts.require(entries, ADAM_V_ENTRY)));
            startBatch = state.nextBatch();
            seconds = state.trainingSeconds();
            curve = new ArrayList<>(state.rewardCurve());
            informative = state.informativeBatches();
            elites = new ArrayList<>(state.elites());
        } else {
            learner = new PolicyLearner(PolicyNet.initial(hp.seed()), hp);
            startBatch = 0;
            seconds = 0;
            curve = new ArrayList<>();
            informative = 0;
            elites = new ArrayList<>();
        }
        PolicyNet net = learner.network();
        int batches = hp.batches();
        int rows = hp.batchSize();
        int actions = hp.actionsPerEpisode();
        int n = rows * actions;
        float[] returns = new float[n];
        float[] advantages = new float[n];
        float[] episodeAdvantages = new float[rows];
        boolean[] free = new boolean[PolicyNet.A];
        for (int c = 0; c < PolicyNet.A; c++) {
            free[c] = hp.fixed(c) == null;
        }
        boolean learnX0 = hp.initialConditions() == null && hp.learnInitialConditions();
        RewardFunction reward = RewardFunction.of(hp);
        int thin = Math.max(1, (batches + MAX_CURVE_POINTS - 1) / MAX_CURVE_POINTS);
        try (EpisodeRunner runner = new EpisodeRunner(nade, hp, threads)) {
            boolean perStep = hp.objective() != Objective.MAX_FINAL_2H;
            for (int k = startBatch; k < batches; k++) {
                long started = System.nanoTime();
                double sigma = sigma(hp, informative, batches);
                EpisodeBatch batch = runner.run(net, rows, true, hp.sampleEnvironment(), Seeds.derive(hp.seed(), k),
                        null, true, hp.steps(), sigma);
                double returnSum = 0;
                double final2H = 0;
                double minReturn = Double.POSITIVE_INFINITY;
                double maxReturn = Double.NEGATIVE_INFINITY;
                for (int r = 0; r < rows; r++) {
                    double g = 0;
                    for (int t = actions - 1; t >= 0; t--) {
                        int i = r * actions + t;
                        g = batch.rewards[i] + hp.gamma() * g;
                        returns[i] = (float) g;
                        advantages[i] = (float) (g - batch.values[i]);
                    }
                    episodeAdvantages[r] = returns[r * actions];
                    double ret = batch.episodeReturn(r);
                    returnSum += ret;
                    minReturn = Math.min(minReturn, ret);
                    maxReturn = Math.max(maxReturn, ret);
                    final2H += batch.predicted(r, hp.steps() - 1, 0);
                    keepElite(elites, perStep ? ret / actions : ret, batch, r);
                }
                // a batch whose episodes all scored the same carries no signal: it neither
                // moves the policy nor narrows the exploration
                boolean signal = maxReturn - minReturn > 1e-6;
                PolicyLearner.UpdateStats stats = new PolicyLearner.UpdateStats(0, 0, 0);
                if (signal) {
                    informative++;
                    if (hp.normaliseAdvantages()) {
                        standardise(advantages);
                    }
                    standardise(episodeAdvantages);
                    stats = learner.update(new PolicyNet.Batch(batch.features, batch.actionsTaken, advantages, returns,
                            n, learnX0 ? batch.initialActions : null, episodeAdvantages, rows, free,
                            batch.activations), sigma,
                            informative - 1);
                }
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
                int informativeNow = informative;
                List<Elite> elitesNow = List.copyOf(elites);
                listener.afterBatch(new TrainingProgress(next, batches, (long) next * rows, (long) batches * rows, point,
                        stats.policyLoss(), stats.valueLoss(), stats.gradientNorm(), seconds),
                        () -> checkpoint(learner, new State(CHECKPOINT_FORMAT, hp, nade.sha256(), next, secondsNow,
                                curveNow, informativeNow, elitesNow)));
            }
        }
        AgentProvenance provenance = new AgentProvenance(nadeModelId, nade.sha256(),
                nade.provenance() == null ? null : nade.provenance().datasetId(), (long) batches * rows, batches,
                threads, "none (plain Java policy on ND4J gemm)", Artifacts.nd4jBackend(),
                System.getProperty("java.version"), Instant.now(), seconds, finalMean(curve),
                nade.provenance() == null ? null : nade.provenance().withoutHistory());
        List<double[]> eliteSchedules = new ArrayList<>();
        for (Elite e : elites) {
            eliteSchedules.add(e.schedule());
        }
        return Agent.create(net.copy(), hp, provenance, curve, eliteSchedules);
    }

    private static void keepElite(List<Elite> elites, double score, EpisodeBatch batch, int r) {
        if (elites.size() >= ELITES && score <= elites.get(elites.size() - 1).score()) {
            return;
        }
        int n = batch.steps;
        double[] schedule = java.util.Arrays.copyOfRange(batch.schedules, r * n * 4, (r + 1) * n * 4);
        elites.add(new Elite(score, schedule));
        elites.sort((a, b) -> Double.compare(b.score(), a.score()));
        if (elites.size() > ELITES) {
            elites.remove(elites.size() - 1);
        }
    }

    static byte[] bytes(float[] values) {
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(values.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return buffer.array();
    }

    static float[] floats(byte[] bytes) {
        float[] out = new float[bytes.length / 4];
        java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
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

    static byte[] checkpoint(PolicyLearner learner, State state) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(STATE_ENTRY, Artifacts.JSON.writeValueAsBytes(state));
        entries.put(NETWORK_ENTRY, bytes(learner.network().p));
        entries.put(ADAM_M_ENTRY, bytes(learner.m));
        entries.put(ADAM_V_ENTRY, bytes(learner.v));
        return Artifacts.zip(entries);
    }

    /** Episodes a checkpoint has completed, without restoring it. */
    public static long checkpointEpisodes(byte[] checkpoint) {
        State state = Artifacts.JSON.readValue(
                Artifacts.require(Artifacts.unzip(checkpoint, Agent.MAX_ENTRY_BYTES, "agent"), STATE_ENTRY), State.class);
        return (long) state.nextBatch() * state.hyperParameters().batchSize();
    }
}
