package org.cvdplanner.nade;

import org.cvdplanner.artifact.Artifacts;
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
    private final NadeCalibration calibration;
    private final byte[] artifact;
    private final String sha256;

    /** The artifact's JSON entry; {@code calibration} is absent (null) in uncalibrated artifacts. */
    record Metadata(String format, int formatVersion, NadeNormaliser normaliser, NadeProvenance provenance,
            NadeCalibration calibration) {
    }

    private NadeModel(MultiLayerNetwork net, NadeNormaliser normaliser, NadeProvenance provenance,
            NadeCalibration calibration, byte[] artifact) {
        this(weights(net, normaliser), normaliser, provenance, calibration, artifact);
    }

    private NadeModel(NadeWeights weights, NadeNormaliser normaliser, NadeProvenance provenance,
            NadeCalibration calibration, byte[] artifact) {
        this.weights = weights;
        this.normaliser = normaliser;
        this.provenance = provenance;
        this.calibration = calibration == null ? NadeCalibration.NONE : calibration;
        this.artifact = artifact;
        this.sha256 = Artifacts.sha256(artifact);
    }

    private static NadeWeights weights(MultiLayerNetwork net, NadeNormaliser normaliser) {
        GaussianNllLoss loss = NadeNetworks.loss(net);
        return new NadeWeights(net, normaliser, loss.fixedVariance(), loss.varianceFloor());
    }

    /** Serialises the trained network (with its updater state) and wraps it as a model. */
    static NadeModel create(MultiLayerNetwork net, NadeNormaliser normaliser, NadeProvenance provenance) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(METADATA_ENTRY, Artifacts.JSON.writeValueAsBytes(
                new Metadata(FORMAT, FORMAT_VERSION, normaliser, provenance, null)));
        entries.put(NETWORK_ENTRY, NadeArtifacts.writeNetwork(net, false));
        return new NadeModel(net, normaliser, provenance, null, Artifacts.zip(entries));
    }

    /**
     * This model with variance-inflation factors fitted on {@code validation} so that the
     * Monte-Carlo p5–p95 bands cover 90 % of its true phase fractions (steps 1 … n−1, per phase;
     * see {@link NadeCalibration}). Uses the first {@code maxProfiles} validation profiles and
     * {@code rollouts} rollouts per profile with one seed for every iteration. The network, the
     * one-step Gaussian, the point forecast and the NLL stay the same; a new artifact (with its
     * own SHA-256) records the factors. Starts from factors 1 (calibrating twice gives the same
     * factors).
     */
    public NadeModel calibrated(ProfileArrays validation, int rollouts, long seed, int maxProfiles) {
        NadeCalibration fitted = NadeEvaluator.calibrate(this, validation, rollouts, seed, maxProfiles);
        return withCalibration(fitted);
    }

    /** This model with the given calibration (a new artifact). */
    NadeModel withCalibration(NadeCalibration fitted) {
        return withMetadata(provenance, fitted);
    }

    /** This model with its provenance completed by the split it was trained on (a new artifact). */
    NadeModel withSplit(NadeProvenance.Split split) {
        return withMetadata(provenance.withSplit(split), calibration == NadeCalibration.NONE ? null : calibration);
    }

    private NadeModel withMetadata(NadeProvenance newProvenance, NadeCalibration fitted) {
        Map<String, byte[]> entries = Artifacts.unzip(artifact, NadeArtifacts.MAX_ENTRY_BYTES, "NADE");
        entries.put(METADATA_ENTRY, Artifacts.JSON.writeValueAsBytes(
                new Metadata(FORMAT, FORMAT_VERSION, normaliser, newProvenance, fitted)));
        return new NadeModel(weights, normaliser, newProvenance, fitted, Artifacts.zip(entries));
    }

    /** The variance-inflation factors Monte-Carlo draws use (factors 1 when never calibrated). */
    public NadeCalibration calibration() {
        return calibration;
    }

    NadeWeights weights() {
        return weights;
    }

    /**
     * Reads a model from bytes this service wrote, but only after checking that their SHA-256 is
     * {@code expectedSha256} (what was stored next to them): nothing else is ever deserialised.
     *
     * @throws IllegalArgumentException when the hash differs or the bytes are not a NADE model
     */
    public static NadeModel fromBytes(byte[] artifact, String expectedSha256) {
        String actual = Artifacts.sha256(artifact);
        if (expectedSha256 == null || !actual.equalsIgnoreCase(expectedSha256)) {
            throw new IllegalArgumentException("artifact SHA-256 " + actual + " does not match the expected "
                    + expectedSha256 + "; refusing to deserialise it");
        }
        Map<String, byte[]> entries = Artifacts.unzip(artifact, NadeArtifacts.MAX_ENTRY_BYTES, "NADE");
        Metadata metadata = Artifacts.JSON.readValue(Artifacts.require(entries, METADATA_ENTRY), Metadata.class);
        if (!FORMAT.equals(metadata.format()) || metadata.formatVersion() != FORMAT_VERSION) {
            throw new IllegalArgumentException("unsupported artifact format " + metadata.format() + " v"
                    + metadata.formatVersion());
        }
        MultiLayerNetwork net = NadeArtifacts.readNetwork(Artifacts.require(entries, NETWORK_ENTRY), false);
        return new NadeModel(net, metadata.normaliser(), metadata.provenance(), metadata.calibration(),
                artifact.clone());
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
        return NadeArtifacts.readNetwork(Artifacts.require(Artifacts.unzip(artifact, NadeArtifacts.MAX_ENTRY_BYTES,
                "NADE"), NETWORK_ENTRY), withUpdater);
    }

    /**
     * A batch of {@code batch} rollouts starting from an empty LSTM state (see {@link NadeRollout});
     * its {@link NadeRollout#sample} uses this model's calibration.
     */
    public NadeRollout newRollout(int batch) {
        return new NadeRollout(weights, batch, calibration.scaleAsFloats());
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
     * Forecasts of whole trajectories: per schedule the point forecast (the mean-fed rollout:
     * the predicted mean fed back at every step, deterministic) and {@code rollouts} Monte-Carlo
     * trajectories, each drawing Z_{t+1} on the simplex with the predicted mean and (calibrated)
     * variance and feeding the draw back, summarised as their mean and p5 / p50 / p95. The LSTM
     * state is carried, never recomputed. Schedules may be longer than the training profiles (the
     * model then runs past its training horizon). Reproducible for a given seed.
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
            // one batch: rows 0 .. rows-1 the Monte-Carlo rollouts, then one mean-fed row per schedule
            int all = rows + count;
            float[][] samples = new float[n][];
            float[] z = new float[all * 3];
            for (int r = 0; r < all; r++) {
                System.arraycopy(start, 0, z, r * 3, 3);
            }
            samples[0] = z;
            NadeRollout rollout = newRollout(all);
            float[] x = new float[all * 4];
            for (int t = 0; t < n - 1; t++) {
                for (int s = 0; s < count; s++) {
                    ConditionVector xt = schedules.get(from + s).at(t);
                    for (int j = 0; j <= rollouts; j++) {
                        int r = (j < rollouts ? s * rollouts + j : rows + s) * 4;
                        x[r] = (float) xt.temperatureK();
                        x[r + 1] = (float) xt.s2();
                        x[r + 2] = (float) xt.h2();
                        x[r + 3] = (float) xt.h2s();
                    }
                }
                StepOutput out = rollout.step(z, x);
                z = rollout.sample(out, rng);
                System.arraycopy(out.meanFlat(), rows * 3, z, rows * 3, count * 3);
                samples[t + 1] = z;
            }
            for (int s = 0; s < count; s++) {
                forecasts.add(summarise(samples, rows + s, samples, s * rollouts, rollouts));
            }
        }
        return forecasts;
    }

    /**
     * The point forecast (row {@code point} of {@code meanPath}) and the mean and percentiles over
     * rows [first, first + count) of every step's samples.
     */
    static TrajectoryForecast summarise(float[][] meanPath, int point, float[][] samples, int first, int count) {
        int n = samples.length;
        double[][] mean = new double[n][3];
        double[][] sampleMean = new double[n][3];
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
                mean[t][k] = meanPath[t][point * 3 + k];
                sampleMean[t][k] = sum / count;
                p5[t][k] = quantile(values, 0.05);
                p50[t][k] = quantile(values, 0.50);
                p95[t][k] = quantile(values, 0.95);
            }
        }
        return new TrajectoryForecast(mean, sampleMean, p5, p50, p95);
    }

    /**
     * The q-quantile of sorted draws as a prediction-interval bound (Hyndman–Fan type 6): the
     * value at 1-based position q·(n + 1), interpolated linearly between order statistics and
     * clamped to the smallest / largest draw. A new draw from the same distribution falls below
     * the k-th of n order statistics with probability k / (n + 1), so [quantile(0.05),
     * quantile(0.95)] covers 90 % of new draws whatever n (type 7, the spreadsheet default,
     * would give an 87 % band from 64 draws).
     */
    static double quantile(float[] sorted, double q) {
        int n = sorted.length;
        double pos = q * (n + 1) - 1;
        if (pos <= 0) {
            return sorted[0];
        }
        if (pos >= n - 1) {
            return sorted[n - 1];
        }
        int lo = (int) Math.floor(pos);
        double frac = pos - lo;
        return sorted[lo] + (sorted[lo + 1] - sorted[lo]) * frac;
    }

    /** Teacher-forced NLL (nats) of every profile: sum over steps 1..n-1 and the three phases. */
    public double[] teacherForcedNll(ProfileArrays profiles) {
        return NadeEvaluator.teacherForced(this, profiles).nll();
    }

    /**
     * The paper's test metrics on {@code test}: teacher-forced NLL; from the autoregressive point
     * forecast (schedule and Z_0 in, mean fed back, whole trajectory out) RMSE/MAE per step and
     * phase and predicted-vs-true at the last step; from Monte-Carlo rollouts the coverage of the
     * 90 % band and the error of the rollouts' mean at the last step.
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
