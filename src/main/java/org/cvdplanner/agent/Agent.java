package org.cvdplanner.agent;

import org.cvdplanner.artifact.Artifacts;
import org.cvdplanner.simulation.Seeds;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.cvdplanner.nade.NadeModel;
import org.cvdplanner.synthesis.Schedule;

/**
 * A trained REINFORCE agent: a Gaussian policy π(a | s) on the NADE-CVD LSTM state, bound to
 * the NADE model it was trained against. Immutable and thread-safe. Holds its objective, every
 * hyper-parameter, its provenance and reward curve, and its serialised artifact (the DL4J policy
 * network and a JSON document) with the artifact's SHA-256; {@link #fromBytes} only
 * deserialises bytes matching a known hash.
 */
public final class Agent {

    static final String FORMAT = "cvd-planner/reinforce-agent";
    /** 2: plain-Java policy (tanh action targets, learned X_0) and training elites; 1 (DL4J graph) is no longer read. */
    static final int FORMAT_VERSION = 2;
    static final String METADATA_ENTRY = "agent.json";
    static final String POLICY_ENTRY = "policy.bin";
    /** Upper bound on one zip entry when reading an agent or its checkpoint. */
    public static final int MAX_ENTRY_BYTES = 64 << 20;

    /** @param elites the best schedules seen in training (steps × 4 flat each), candidates for the comparison */
    record Metadata(String format, int formatVersion, AgentHyperParameters hyperParameters,
            AgentProvenance provenance, List<RewardPoint> rewardCurve, List<double[]> elites) {
    }

    private final AgentHyperParameters hp;
    private final AgentProvenance provenance;
    private final List<RewardPoint> rewardCurve;
    private final PolicyNet policy;
    private final List<double[]> elites;
    private final byte[] artifact;
    private final String sha256;

    private Agent(PolicyNet policy, Metadata metadata, byte[] artifact) {
        this.hp = metadata.hyperParameters();
        this.provenance = metadata.provenance();
        this.rewardCurve = List.copyOf(metadata.rewardCurve());
        this.policy = policy;
        this.elites = metadata.elites() == null ? List.of() : List.copyOf(metadata.elites());
        this.artifact = artifact;
        this.sha256 = Artifacts.sha256(artifact);
    }

    static Agent create(PolicyNet policy, AgentHyperParameters hp, AgentProvenance provenance,
            List<RewardPoint> rewardCurve, List<double[]> elites) {
        Metadata metadata = new Metadata(FORMAT, FORMAT_VERSION, hp, provenance, rewardCurve, elites);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(METADATA_ENTRY, Artifacts.JSON.writeValueAsBytes(metadata));
        entries.put(POLICY_ENTRY, AgentTrainer.bytes(policy.p));
        return new Agent(policy, metadata, Artifacts.zip(entries));
    }

    /**
     * Reads an agent from bytes this service wrote, only after checking that their SHA-256 is
     * {@code expectedSha256}.
     *
     * @throws IllegalArgumentException when the hash differs or the bytes are not an agent
     */
    public static Agent fromBytes(byte[] artifact, String expectedSha256) {
        String actual = Artifacts.sha256(artifact);
        if (expectedSha256 == null || !actual.equalsIgnoreCase(expectedSha256)) {
            throw new IllegalArgumentException("artifact SHA-256 " + actual + " does not match the expected "
                    + expectedSha256 + "; refusing to deserialise it");
        }
        Map<String, byte[]> entries = Artifacts.unzip(artifact, Agent.MAX_ENTRY_BYTES, "agent");
        Metadata metadata = Artifacts.JSON.readValue(Artifacts.require(entries, METADATA_ENTRY),
                Metadata.class);
        if (!FORMAT.equals(metadata.format()) || metadata.formatVersion() != FORMAT_VERSION) {
            throw new IllegalArgumentException("unsupported artifact format " + metadata.format() + " v"
                    + metadata.formatVersion());
        }
        PolicyNet policy = new PolicyNet(AgentTrainer.floats(Artifacts.require(entries, POLICY_ENTRY)));
        return new Agent(policy, metadata, artifact.clone());
    }

    public byte[] toBytes() {
        return artifact.clone();
    }

    public String sha256() {
        return sha256;
    }

    public AgentHyperParameters hyperParameters() {
        return hp;
    }

    public Objective objective() {
        return hp.objective();
    }

    public AgentProvenance provenance() {
        return provenance;
    }

    public List<RewardPoint> rewardCurve() {
        return rewardCurve;
    }

    PolicyNet policy() {
        return policy;
    }

    /** The best schedules seen during training (each steps × 4 flat; copies). */
    List<double[]> elites() {
        List<double[]> out = new java.util.ArrayList<>();
        for (double[] e : elites) {
            out.add(e.clone());
        }
        return out;
    }

    /** @throws IllegalArgumentException when {@code nade} is not the model this agent was trained on */
    void requireTrainedOn(NadeModel nade) {
        if (!nade.sha256().equalsIgnoreCase(provenance.nadeModelSha256())) {
            throw new IllegalArgumentException("the agent was trained on NADE model " + provenance.nadeModelSha256()
                    + ", not " + nade.sha256());
        }
    }

    /**
     * Proposes schedules: runs the policy against the NADE model (batched), then forecasts each
     * schedule with {@code settings.rollouts()} Monte-Carlo rollouts.
     *
     * @throws InvalidAgentParameterException when the initial conditions lie outside the agent's bounds
     */
    public List<ProposedSchedule> propose(NadeModel nade, ProposalSettings settings) {
        return propose(nade, settings, 1);
    }

    /** {@link #propose(NadeModel, ProposalSettings)} with the policy rollouts on up to {@code threads} threads. */
    public List<ProposedSchedule> propose(NadeModel nade, ProposalSettings settings, int threads) {
        return ScheduleForecasts.forecast(nade, RewardFunction.of(hp), schedules(nade, settings, threads),
                settings.rollouts(), Seeds.derive(settings.seed(), 1));
    }

    /** The schedules alone (no forecast), on up to {@code threads} threads. */
    List<Schedule> schedules(NadeModel nade, ProposalSettings settings, int threads) {
        requireTrainedOn(nade);
        double[] x0 = null;
        if (settings.initialConditions() != null) {
            if (!hp.bounds().contains(settings.initialConditions())) {
                throw new InvalidAgentParameterException("initialConditions", "must lie inside the agent's bounds "
                        + hp.bounds());
            }
            x0 = new double[settings.count() * 4];
            for (int r = 0; r < settings.count(); r++) {
                for (int c = 0; c < 4; c++) {
                    x0[r * 4 + c] = settings.initialConditions().get(c);
                }
            }
        }
        boolean sampled = settings.mode() == ProposalMode.SAMPLED;
        int steps = settings.steps() == null ? hp.steps() : settings.steps();
        try (EpisodeRunner runner = new EpisodeRunner(nade, hp, threads)) {
            EpisodeBatch batch = runner.run(policy, settings.count(), sampled, sampled,
                    Seeds.derive(settings.seed(), 0), x0, false, steps, hp.sigmaFinal());
            return ScheduleForecasts.schedules(batch.schedules, settings.count(), steps);
        }
    }

    /** Runs the policy and returns the raw episode record (for analyses). */
    EpisodeBatch episodes(NadeModel nade, int count, double[] x0, ProposalMode mode, long seed, int threads) {
        requireTrainedOn(nade);
        boolean sampled = mode == ProposalMode.SAMPLED;
        try (EpisodeRunner runner = new EpisodeRunner(nade, hp, threads)) {
            return runner.run(policy, count, sampled, sampled, seed, x0, false, hp.steps(), hp.sigmaFinal());
        }
    }
}
