package org.cvdplanner.nade;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.cvdplanner.synthesis.ConditionBounds;
import org.cvdplanner.synthesis.ConditionVector;
import org.cvdplanner.synthesis.PhaseVector;
import org.cvdplanner.synthesis.ProfileArrays;
import org.cvdplanner.synthesis.Schedule;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A trained NADE-CVD model: P(Z_{t+1} | Z_{0:t}, X_{0:t}) as a Gaussian whose mean lies on the
 * simplex. Immutable and thread-safe (each {@link NadeRollout} it hands out is not). Holds its
 * serialised artifact (DL4J network zip with updater state, normaliser, provenance) and the
 * artifact's SHA-256; {@link #fromBytes} only deserialises bytes matching a known hash.
 */
public final class NadeModel {

    static final String FORMAT = "cvd-planner/nade-cvd";
    static final int FORMAT_VERSION = 1;
    static final String METADATA_ENTRY = "nade-model.json";
    static final String NETWORK_ENTRY = "network.zip";
    /** Rows per internal batch in forecasts and evaluations. */
    static final int CHUNK_ROWS = 4096;

    private final NadeWeights weights;
    private final NadeNormaliser normaliser;
    private final NadeProvenance provenance;
    private final byte[] artifact;
    private final String sha256;

    record Metadata(String format, int formatVersion, NadeNormaliser normaliser, NadeProvenance provenance) {
    }

    private NadeModel(MultiLayerNetwork net, NadeNormaliser normaliser, NadeProvenance provenance, byte[] artifact) {
        GaussianNllLoss loss = NadeNetworks.loss(net);
        this.weights = new NadeWeights(net, normaliser, loss.fixedVariance(), loss.varianceFloor());
        this.normaliser = normaliser;
        this.provenance = provenance;
        this.artifact = artifact;
        this.sha256 = NadeArtifacts.sha256(artifact);
    }

    /** Serialises the trained network (with its updater state) and wraps it as a model. */
    static NadeModel create(MultiLayerNetwork net, NadeNormaliser normaliser, NadeProvenance provenance) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(METADATA_ENTRY, NadeArtifacts.JSON.writeValueAsBytes(
                new Metadata(FORMAT, FORMAT_VERSION, normaliser, provenance)));
        entries.put(NETWORK_ENTRY, NadeArtifacts.writeNetwork(net, false));
        return new NadeModel(net, normaliser, provenance, NadeArtifacts.zip(entries));
    }

    /**
     * Reads a model from bytes this service wrote, but only after checking that their SHA-256 is
     * {@code expectedSha256} (what was stored next to them): nothing else is ever deserialised.
     *
     * @throws IllegalArgumentException when the hash differs or the bytes are not a NADE model
     */
    public static NadeModel fromBytes(byte[] artifact, String expectedSha256) {
        String actual = NadeArtifacts.sha256(artifact);
        if (expectedSha256 == null || !actual.equalsIgnoreCase(expectedSha256)) {
            throw new IllegalArgumentException("artifact SHA-256 " + actual + " does not match the expected "
                    + expectedSha256 + "; refusing to deserialise it");
        }
        Map<String, byte[]> entries = NadeArtifacts.unzip(artifact);
        Metadata metadata = NadeArtifacts.JSON.readValue(NadeArtifacts.require(entries, METADATA_ENTRY), Metadata.class);
        if (!FORMAT.equals(metadata.format()) || metadata.formatVersion() != FORMAT_VERSION) {
            throw new IllegalArgumentException("unsupported artifact format " + metadata.format() + " v"
                    + metadata.formatVersion());
        }
        MultiLayerNetwork net = NadeArtifacts.readNetwork(NadeArtifacts.require(entries, NETWORK_ENTRY), false);
        return new NadeModel(net, metadata.normaliser(), metadata.provenance(), artifact.clone());
    }

    /** The artifact bytes (a copy): store them with {@link #sha256()}. */
    public byte[] toBytes() {
        return artifact.clone();
    }

    public int artifactSize() {
        return artifact.length;
    }

    /** SHA-256 (hex) of {@link #toBytes()}. */
    public String sha256() {
        return sha256;
    }

    public NadeProvenance provenance() {
        return provenance;
    }

    /** Steps per profile of the data it was trained on. */
    public int steps() {
        return provenance.steps();
    }

    /** The smallest and largest value of each condition among the training inputs. */
    public ConditionBounds trainingConditionRanges() {
        return new ConditionBounds(ConditionVector.of(normaliser.conditionMin()),
                ConditionVector.of(normaliser.conditionMax()));
    }

    NadeNormaliser normaliser() {
        return normaliser;
    }

    /** The DL4J network inside the artifact, with its updater state when asked (a fresh copy). */
    MultiLayerNetwork network(boolean withUpdater) {
        return NadeArtifacts.readNetwork(NadeArtifacts.require(NadeArtifacts.unzip(artifact), NETWORK_ENTRY),
                withUpdater);
    }

    /** A batch of {@code batch} rollouts starting from an empty LSTM state (see {@link NadeRollout}). */
    public NadeRollout newRollout(int batch) {
        return new NadeRollout(weights, batch);
    }

    /**
     * The trajectory obtained by feeding the predicted mean back at every step (deterministic).
     *
     * @return [steps][3]; row 0 is {@code z0}
     */
    public double[][] predictMean(Schedule schedule, PhaseVector z0) {
        int n = schedule.length();
        double[][] out = new double[n][];
        out[0] = z0.toArray();
        NadeRollout rollout = newRollout(1);
        float[] z = toFloats(z0.toArray());
        for (int t = 0; t < n - 1; t++) {
            StepOutput step = rollout.step(z, toFloats(schedule.at(t).toArray()));
            z = step.meanFlat();
            out[t + 1] = new double[] {z[0], z[1], z[2]};
        }
        return out;
    }

    /**
     * Monte-Carlo forecasts: {@code rollouts} trajectories per schedule, each sampling Z_{t+1}
     * from the predicted Gaussian (projected onto the simplex) and feeding it back; the LSTM
     * state is carried, never recomputed. Reproducible for a given seed.
     *
     * @param schedules schedules of equal length (at least 2 steps)
     * @param z0 the phase vector at step 0 (usually {@link PhaseVector#INITIAL})
     */
    public List<TrajectoryForecast> forecast(List<Schedule> schedules, PhaseVector z0, int rollouts, long seed) {
        if (schedules.isEmpty()) {
            return List.of();
        }
        if (rollouts < 1) {
            throw new IllegalArgumentException("rollouts must be >= 1");
        }
        int n = schedules.get(0).length();
        for (Schedule s : schedules) {
            if (s.length() != n || n < 2) {
                throw new IllegalArgumentException("all schedules need the same length of at least 2 steps");
            }
        }
        SplittableRandom rng = new SplittableRandom(seed);
        List<TrajectoryForecast> forecasts = new ArrayList<>(schedules.size());
        int perChunk = Math.max(1, CHUNK_ROWS / rollouts);
        float[] start = toFloats(z0.toArray());
        for (int from = 0; from < schedules.size(); from += perChunk) {
            int count = Math.min(perChunk, schedules.size() - from);
            int rows = count * rollouts;
            float[][] samples = new float[n][];
            float[] z = new float[rows * 3];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(start, 0, z, r * 3, 3);
            }
            samples[0] = z;
            NadeRollout rollout = newRollout(rows);
            float[] x = new float[rows * 4];
            for (int t = 0; t < n - 1; t++) {
                for (int s = 0; s < count; s++) {
                    ConditionVector xt = schedules.get(from + s).at(t);
                    for (int j = 0; j < rollouts; j++) {
                        int r = (s * rollouts + j) * 4;
                        x[r] = (float) xt.temperatureK();
                        x[r + 1] = (float) xt.s2();
                        x[r + 2] = (float) xt.h2();
                        x[r + 3] = (float) xt.h2s();
                    }
                }
                z = rollout.sample(rollout.step(z, x), rng);
                samples[t + 1] = z;
            }
            for (int s = 0; s < count; s++) {
                forecasts.add(summarise(samples, s * rollouts, rollouts));
            }
        }
        return forecasts;
    }

    /** Mean and percentiles over rows [first, first + count) of every step's samples. */
    static TrajectoryForecast summarise(float[][] samples, int first, int count) {
        int n = samples.length;
        double[][] mean = new double[n][3];
        double[][] p5 = new double[n][3];
        double[][] p50 = new double[n][3];
        double[][] p95 = new double[n][3];
        float[] values = new float[count];
        for (int t = 0; t < n; t++) {
            for (int k = 0; k < 3; k++) {
                double sum = 0;
                for (int j = 0; j < count; j++) {
                    values[j] = samples[t][(first + j) * 3 + k];
                    sum += values[j];
                }
                Arrays.sort(values);
                mean[t][k] = sum / count;
                p5[t][k] = quantile(values, 0.05);
                p50[t][k] = quantile(values, 0.50);
                p95[t][k] = quantile(values, 0.95);
            }
        }
        return new TrajectoryForecast(mean, p5, p50, p95);
    }

    /** Linear interpolation between order statistics of sorted values. */
    static double quantile(float[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        double frac = pos - lo;
        return sorted[lo] + (sorted[hi] - sorted[lo]) * frac;
    }

    /** Teacher-forced NLL (nats) of every profile: sum over steps 1..n-1 and the three phases. */
    public double[] teacherForcedNll(ProfileArrays profiles) {
        return NadeEvaluator.teacherForced(this, profiles).nll();
    }

    /**
     * The paper's test metrics on {@code test}: teacher-forced NLL, and from autoregressive
     * Monte-Carlo prediction (schedule and Z_0 in, whole trajectory out) RMSE/MAE per step and
     * phase, predicted-vs-true at the last step and the coverage of the 90 % band.
     */
    public NadeEvaluation evaluate(ProfileArrays test, int rollouts, long seed) {
        return NadeEvaluator.evaluate(this, test, rollouts, seed);
    }

    static float[] toFloats(double[] values) {
        float[] f = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            f[i] = (float) values[i];
        }
        return f;
    }
}
