package org.cvdplanner.nade;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.cvdplanner.synthesis.ProfileArrays;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains NADE-CVD models by maximum likelihood (Adam on the Gaussian NLL), with a seeded
 * mini-batch order, an optional cosine learning-rate schedule and early stopping on the
 * validation NLL. Holds only hyper-parameters; {@link #train} returns an immutable
 * {@link NadeModel} with the best-validation epoch's parameters.
 *
 * <p>Training is deterministic for given data and hyper-parameters on one backend, and resumable:
 * the checkpoint handed to {@link NadeTrainingListener#afterEpoch} continues the same run (same
 * batch order, same Adam state) when passed back as {@code resumeFrom}.
 */
public final class NadeTrainer {

    static final String STATE_ENTRY = "state.json";
    static final String BEST_ENTRY = "best-parameters.bin";
    static final String NETWORK_ENTRY = "network.zip";
    private static final int EVAL_CHUNK = 1024;

    private final NadeHyperParameters hp;

    public NadeTrainer(NadeHyperParameters hyperParameters) {
        this.hp = hyperParameters;
    }

    public NadeHyperParameters hyperParameters() {
        return hp;
    }

    /** What a checkpoint remembers besides the network and the best parameters. */
    record State(String format, NadeHyperParameters hyperParameters, String profileHash, NadeNormaliser normaliser,
            int nextEpoch, int bestEpoch, double bestValidationNll, int epochsWithoutImprovement,
            double trainingSeconds, List<EpochReport> history) {
    }

    public NadeModel train(ProfileArrays train, ProfileArrays validation, NadeTrainingListener listener) {
        return train(train, validation, null, null, listener);
    }

    /**
     * @param datasetId recorded in the provenance (may be null)
     * @param resumeFrom a checkpoint of an earlier run of this trainer on the same profiles, or null
     * @throws IllegalArgumentException when the splits are unusable or the checkpoint belongs to
     *     other data or settings
     */
    public NadeModel train(ProfileArrays train, ProfileArrays validation, Long datasetId, byte[] resumeFrom,
            NadeTrainingListener listener) {
        if (train.profileCount() == 0 || validation.profileCount() == 0) {
            throw new IllegalArgumentException("training and validation splits must not be empty");
        }
        if (train.steps() < 2 || train.steps() != validation.steps()) {
            throw new IllegalArgumentException("splits need the same number of steps (at least 2)");
        }
        String profileHash = NadeArtifacts.profileHash(train, validation);
        MultiLayerNetwork net;
        NadeNormaliser normaliser;
        State state;
        INDArray best;
        if (resumeFrom != null) {
            Map<String, byte[]> entries = NadeArtifacts.unzip(resumeFrom);
            state = NadeArtifacts.JSON.readValue(NadeArtifacts.require(entries, STATE_ENTRY), State.class);
            if (!hp.equals(state.hyperParameters()) || !profileHash.equals(state.profileHash())) {
                throw new IllegalArgumentException("the checkpoint belongs to a run with other hyper-parameters or profiles");
            }
            net = NadeArtifacts.readNetwork(NadeArtifacts.require(entries, NETWORK_ENTRY), true);
            normaliser = state.normaliser();
            best = readFloats(NadeArtifacts.require(entries, BEST_ENTRY));
        } else {
            normaliser = NadeNormaliser.fit(train);
            net = NadeNetworks.create(hp, DataType.FLOAT);
            state = new State(NadeModel.FORMAT + "-checkpoint", hp, profileHash, normaliser, 0, 0,
                    Double.POSITIVE_INFINITY, 0, 0, List.of());
            best = net.params().dup();
        }
        int n = train.profileCount();
        int batches = (n + hp.batchSize() - 1) / hp.batchSize();
        int epoch = state.nextEpoch();
        int bestEpoch = state.bestEpoch();
        double bestNll = state.bestValidationNll();
        int stale = state.epochsWithoutImprovement();
        double seconds = state.trainingSeconds();
        List<EpochReport> history = new ArrayList<>(state.history());
        while (epoch < hp.epochs() && (hp.earlyStoppingPatience() == 0 || stale < hp.earlyStoppingPatience())) {
            long started = System.nanoTime();
            double lr = hp.learningRateAt(epoch);
            net.setLearningRate(lr);
            int[] order = permutation(n, hp.seed(), epoch);
            double lossSum = 0;
            for (int b = 0; b < batches; b++) {
                int from = b * hp.batchSize();
                int to = Math.min(n, from + hp.batchSize());
                DataSet batch = NadeNetworks.dataSet(train, order, from, to, normaliser, DataType.FLOAT);
                net.fit(batch);
                lossSum += net.score() * (to - from);
                listener.afterBatch(epoch + 1, b + 1, batches);
            }
            double trainNll = lossSum / n;
            double validationNll = meanNll(net, validation, normaliser);
            boolean improved = validationNll < bestNll;
            if (improved) {
                bestNll = validationNll;
                bestEpoch = epoch + 1;
                best = net.params().dup();
                stale = 0;
            } else {
                stale++;
            }
            epoch++;
            seconds += (System.nanoTime() - started) / 1e9;
            EpochReport report = new EpochReport(epoch, hp.epochs(), trainNll, validationNll, lr, seconds, bestEpoch,
                    bestNll);
            history.add(report);
            State snapshot = new State(state.format(), hp, profileHash, normaliser, epoch, bestEpoch, bestNll, stale,
                    seconds, List.copyOf(history));
            MultiLayerNetwork current = net;
            INDArray bestNow = best;
            listener.afterEpoch(report, () -> checkpoint(current, bestNow, snapshot));
            if (listener.stopAfterEpoch(report)) {
                break;
            }
        }
        if (bestEpoch == 0) {
            throw new IllegalStateException("no epoch was trained");
        }
        net.setParams(best);
        NadeProvenance provenance = new NadeProvenance(hp, datasetId, profileHash, train.profileCount(),
                validation.profileCount(), train.steps(), NadeArtifacts.dl4jVersion(), NadeArtifacts.nd4jBackend(),
                System.getProperty("java.version"), Instant.now(), seconds, epoch, bestEpoch, bestNll,
                List.copyOf(history));
        return NadeModel.create(net, normaliser, provenance);
    }

    static byte[] checkpoint(MultiLayerNetwork net, INDArray best, State state) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(STATE_ENTRY, NadeArtifacts.JSON.writeValueAsBytes(state));
        entries.put(BEST_ENTRY, writeFloats(best));
        entries.put(NETWORK_ENTRY, NadeArtifacts.writeNetwork(net, true));
        return NadeArtifacts.zip(entries);
    }

    /** Epoch of a checkpoint (how many epochs it has completed), without restoring it. */
    public static int checkpointEpoch(byte[] checkpoint) {
        return NadeArtifacts.JSON.readValue(NadeArtifacts.require(NadeArtifacts.unzip(checkpoint), STATE_ENTRY),
                State.class).nextEpoch();
    }

    private static byte[] writeFloats(INDArray params) {
        float[] values = params.castTo(DataType.FLOAT).toFloatVector();
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return buffer.array();
    }

    private static INDArray readFloats(byte[] bytes) {
        float[] values = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return Nd4j.create(values, new long[] {1, values.length}, 'c');
    }

    /** The mini-batch order of one epoch: a Fisher-Yates shuffle seeded by (seed, epoch). */
    static int[] permutation(int n, long seed, int epoch) {
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        return order;
    }

    /** Mean teacher-forced NLL per profile of the network's output (nats). */
    static double meanNll(MultiLayerNetwork net, ProfileArrays data, NadeNormaliser normaliser) {
        GaussianNllLoss loss = NadeNetworks.loss(net);
        int n = data.profileCount();
        int steps = data.steps() - 1;
        double total = 0;
        double[] m = new double[3];
        for (int from = 0; from < n; from += EVAL_CHUNK) {
            int to = Math.min(n, from + EVAL_CHUNK);
            DataSet ds = NadeNetworks.dataSet(data, null, from, to, normaliser, DataType.FLOAT);
            float[] raw = net.output(ds.getFeatures(), false).dup('c').data().asFloat();
            float[] y = ds.getLabels().dup('c').data().asFloat();
            for (int i = 0; i < to - from; i++) {
                for (int t = 0; t < steps; t++) {
                    int o = i * NadeNetworks.OUTPUTS * steps + t;
                    GaussianNllLoss.softmax3(raw[o], raw[o + steps], raw[o + 2 * steps], m, 0);
                    for (int k = 0; k < 3; k++) {
                        double v = loss.variance(raw[o + (3 + k) * steps]);
                        double d = y[(i * 3 + k) * steps + t] - m[k];
                        total += GaussianNllLoss.HALF_LOG_TWO_PI + 0.5 * Math.log(v) + d * d / (2 * v);
                    }
                }
            }
        }
        return total / n;
    }
}
