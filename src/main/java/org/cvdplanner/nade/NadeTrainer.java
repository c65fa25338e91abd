package org.cvdplanner.nade;

import org.cvdplanner.artifact.Artifacts;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.cvdplanner.synthesis.PhaseVector;
import org.cvdplanner.synthesis.ProfileArrays;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Trains NADE-CVD models by maximum likelihood (Adam on the Gaussian NLL), with a seeded
 * mini-batch order, an optional cosine learning-rate schedule and early stopping on the
 * validation NLL. Holds only hyper-parameters (and how many threads to use); {@link #train}
 * returns an immutable {@link NadeModel} with the best-validation epoch's parameters.
 *
 * <p>The arithmetic is {@link NadeKernel}'s (forward, loss and back-propagation through time on
 * ND4J gemms) and {@link AdamState}'s: the same as the PyTorch reference network, step for step
 * (parity-tested). Each mini-batch is cut into {@link #SHARDS} fixed shards whose gradients are
 * summed in a fixed order, so the result does not depend on how many threads ran them.
 *
 * <p>Training is deterministic for given data and hyper-parameters on one backend, and resumable:
 * the checkpoint handed to {@link NadeTrainingListener#afterEpoch} continues the same run (same
 * batch order, same Adam state) when passed back as {@code resumeFrom}.
 */
public final class NadeTrainer {

    static final String STATE_ENTRY = "state.json";
    static final String BEST_ENTRY = "best-parameters.bin";
    static final String PARAMETERS_ENTRY = "parameters.bin";
    static final String ADAM_M_ENTRY = "adam-m.bin";
    static final String ADAM_V_ENTRY = "adam-v.bin";
    /** Shards per mini-batch (the most threads one model trains on). */
    public static final int SHARDS = 2;
    private static final int EVAL_CHUNK = 512;

    private final NadeHyperParameters hp;
    private final int threads;
    /** For ablations in benchmarks: start parameters and normaliser other than the defaults (null = defaults). */
    private final float[] start;
    private final NadeNormaliser startNormaliser;

    public NadeTrainer(NadeHyperParameters hyperParameters) {
        this(hyperParameters, 1);
    }

    /**
     * @param threads threads one model trains on (1 or 2: data-parallel halves of each mini-batch;
     *     the result is the same either way)
     */
    public NadeTrainer(NadeHyperParameters hyperParameters, int threads) {
        this(hyperParameters, threads, null, null);
    }

    private NadeTrainer(NadeHyperParameters hyperParameters, int threads, float[] start, NadeNormaliser normaliser) {
        if (threads < 1 || threads > SHARDS) {
            throw new IllegalArgumentException("threads must be 1 or " + SHARDS);
        }
        this.hp = hyperParameters;
        this.threads = threads;
        this.start = start;
        this.startNormaliser = normaliser;
    }

    /**
     * The same trainer starting from other parameters (kernel layout) and/or another normaliser
     * (null keeps the default): what the benchmarks use to compare initialisations and input scalings.
     */
    NadeTrainer startingFrom(float[] parameters, NadeNormaliser normaliser) {
        return new NadeTrainer(hp, threads, parameters == null ? null : parameters.clone(), normaliser);
    }

    public NadeHyperParameters hyperParameters() {
        return hp;
    }

    /** What a checkpoint remembers besides the parameters, the Adam moments and the best parameters. */
    record State(String format, NadeHyperParameters hyperParameters, String profileHash, NadeNormaliser normaliser,
            int nextEpoch, long adamStep, int bestEpoch, double bestValidationNll, int epochsWithoutImprovement,
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
        float[] params;
        AdamState adam;
        NadeNormaliser normaliser;
        State state;
        float[] best;
        if (resumeFrom != null) {
            Map<String, byte[]> entries = Artifacts.unzip(resumeFrom, NadeArtifacts.MAX_ENTRY_BYTES, "NADE");
            state = Artifacts.JSON.readValue(Artifacts.require(entries, STATE_ENTRY), State.class);
            if (!CHECKPOINT_FORMAT.equals(state.format())) {
                throw new IllegalArgumentException("the checkpoint is of another format: " + state.format());
            }
            if (!hp.equals(state.hyperParameters()) || !profileHash.equals(state.profileHash())) {
                throw new IllegalArgumentException("the checkpoint belongs to a run with other hyper-parameters or profiles");
            }
            params = readFloats(Artifacts.require(entries, PARAMETERS_ENTRY));
            adam = new AdamState(readFloats(Artifacts.require(entries, ADAM_M_ENTRY)),
                    readFloats(Artifacts.require(entries, ADAM_V_ENTRY)), state.adamStep());
            normaliser = state.normaliser();
            best = readFloats(Artifacts.require(entries, BEST_ENTRY));
        } else {
            normaliser = startNormaliser != null ? startNormaliser : NadeNormaliser.fit(train);
            params = start != null ? start.clone() : NadeKernel.initialParameters(hp.seed());
            adam = new AdamState(params.length);
            state = new State(CHECKPOINT_FORMAT, hp, profileHash, normaliser, 0, 0, 0, Double.POSITIVE_INFINITY, 0, 0,
                    List.of());
            best = params.clone();
        }
        int n = train.profileCount();
        int steps = train.steps() - 1;
        int batches = (n + hp.batchSize() - 1) / hp.batchSize();
        int epoch = state.nextEpoch();
        int bestEpoch = state.bestEpoch();
        double bestNll = state.bestValidationNll();
        int stale = state.epochsWithoutImprovement();
        double seconds = state.trainingSeconds();
        List<EpochReport> history = new ArrayList<>(state.history());
        ExecutorService pool = threads > 1 ? Executors.newFixedThreadPool(threads - 1, r -> {
            Thread thread = new Thread(r, "nade-training");
            thread.setDaemon(true);
            return thread;
        }) : null;
        try {
            Shard[] shards = new Shard[SHARDS];
            for (int s = 0; s < SHARDS; s++) {
                shards[s] = new Shard(new NadeKernel(hp.fixedVariance(), hp.varianceFloor()), params.length);
            }
            float[] grad = new float[params.length];
            while (epoch < hp.epochs() && (hp.earlyStoppingPatience() == 0 || stale < hp.earlyStoppingPatience())) {
                long started = System.nanoTime();
                double lr = hp.learningRateAt(epoch);
                int[] order = permutation(n, hp.seed(), epoch);
                double lossSum = 0;
                for (int b = 0; b < batches; b++) {
                    int from = b * hp.batchSize();
                    int to = Math.min(n, from + hp.batchSize());
                    lossSum += gradient(pool, shards, params, train, order, from, to, steps, normaliser, grad);
                    if (hp.gradientClipNorm() > 0) {
                        AdamState.clipGlobalNorm(grad, hp.gradientClipNorm());
                    }
                    adam.update(params, grad, lr);
                    listener.afterBatch(epoch + 1, b + 1, batches);
                }
                double trainNll = lossSum / n;
                double validationNll = meanNll(pool, shards, params, validation, normaliser);
                if (!Double.isFinite(validationNll)) {
                    throw new IllegalStateException("training diverged: validation NLL " + validationNll
                            + " after epoch " + (epoch + 1) + "; lower the learning rate or set gradientClipNorm");
                }
                boolean improved = validationNll < bestNll;
                if (improved) {
                    bestNll = validationNll;
                    bestEpoch = epoch + 1;
                    best = params.clone();
                    stale = 0;
                } else {
                    stale++;
                }
                epoch++;
                seconds += (System.nanoTime() - started) / 1e9;
                EpochReport report = new EpochReport(epoch, hp.epochs(), trainNll, validationNll, lr, seconds,
                        bestEpoch, bestNll);
                history.add(report);
                State snapshot = new State(CHECKPOINT_FORMAT, hp, profileHash, normaliser, epoch, adam.step, bestEpoch,
                        bestNll, stale, seconds, List.copyOf(history));
                float[] paramsNow = params;
                float[] bestNow = best;
                listener.afterEpoch(report, () -> checkpoint(paramsNow, adam, bestNow, snapshot));
                if (listener.stopAfterEpoch(report)) {
                    break;
                }
            }
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
        if (bestEpoch == 0) {
            throw new IllegalStateException("no epoch was trained");
        }
        MultiLayerNetwork net = NadeNetworks.create(hp, DataType.FLOAT);
        NadeKernel.toNetwork(best, net);
        NadeProvenance provenance = new NadeProvenance(hp, datasetId, profileHash, train.profileCount(),
                validation.profileCount(), train.steps(), Artifacts.dl4jVersion(), Artifacts.nd4jBackend(),
                System.getProperty("java.version"), Instant.now(), seconds, epoch, bestEpoch, bestNll,
                List.copyOf(history), null);
        return NadeModel.create(net, normaliser, provenance);
    }

    static final String CHECKPOINT_FORMAT = NadeModel.FORMAT + "-checkpoint-2";

    /** One shard's kernel, input buffers and gradient. */
    private static final class Shard {
        final NadeKernel kernel;
        final float[] grad;
        float[] inputs = new float[0];
        float[] targets = new float[0];
        double loss;

        Shard(NadeKernel kernel, int parameters) {
            this.kernel = kernel;
            this.grad = new float[parameters];
        }

        void load(ProfileArrays data, int[] order, int from, int to, NadeNormaliser normaliser, int steps) {
            int rows = (to - from) * steps;
            if (inputs.length != rows * NadeKernel.IN) {
                inputs = new float[rows * NadeKernel.IN];
                targets = new float[rows * PhaseVector.SIZE];
            }
            NadeKernel.inputs(data, order, from, to, normaliser, inputs, targets);
        }
    }

    /**
     * Summed NLL of profiles order[from..to) and, into {@code grad}, the gradient of their mean
     * NLL per profile; the batch is cut into fixed shards run on the pool.
     */
    private double gradient(ExecutorService pool, Shard[] shards, float[] params, ProfileArrays data, int[] order,
            int from, int to, int steps, NadeNormaliser normaliser, float[] grad) {
        int n = to - from;
        int used = Math.min(SHARDS, n);
        double scale = 1.0 / n;
        runShards(pool, used, s -> {
            Shard shard = shards[s];
            int a = from + (int) ((long) n * s / used);
            int b = from + (int) ((long) n * (s + 1) / used);
            shard.load(data, order, a, b, normaliser, steps);
            java.util.Arrays.fill(shard.grad, 0f);
            shard.loss = shard.kernel.lossAndGradient(params, shard.inputs, shard.targets, b - a, steps, shard.grad,
                    scale);
        });
        double loss = 0;
        System.arraycopy(shards[0].grad, 0, grad, 0, grad.length);
        loss += shards[0].loss;
        for (int s = 1; s < used; s++) {
            float[] g = shards[s].grad;
            for (int i = 0; i < grad.length; i++) {
                grad[i] += g[i];
            }
            loss += shards[s].loss;
        }
        return loss;
    }

    private double meanNll(ExecutorService pool, Shard[] shards, float[] params, ProfileArrays data,
            NadeNormaliser normaliser) {
        int n = data.profileCount();
        int steps = data.steps() - 1;
        double total = 0;
        for (int from = 0; from < n; from += EVAL_CHUNK * SHARDS) {
            int chunkFrom = from;
            int chunkTo = Math.min(n, from + EVAL_CHUNK * SHARDS);
            int chunk = chunkTo - chunkFrom;
            int used = Math.min(SHARDS, chunk);
            runShards(pool, used, s -> {
                Shard shard = shards[s];
                int a = chunkFrom + (int) ((long) chunk * s / used);
                int b = chunkFrom + (int) ((long) chunk * (s + 1) / used);
                shard.load(data, null, a, b, normaliser, steps);
                shard.loss = shard.kernel.nll(params, shard.inputs, shard.targets, b - a, steps);
            });
            for (int s = 0; s < used; s++) {
                total += shards[s].loss;
            }
        }
        return total / n;
    }

    private interface ShardTask {
        void run(int shard);
    }

    private static void runShards(ExecutorService pool, int count, ShardTask task) {
        if (pool == null || count == 1) {
            for (int s = 0; s < count; s++) {
                task.run(s);
            }
            return;
        }
        List<Future<?>> futures = new ArrayList<>();
        for (int s = 1; s < count; s++) {
            int shard = s;
            futures.add(pool.submit(() -> task.run(shard)));
        }
        task.run(0);
        try {
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    static byte[] checkpoint(float[] params, AdamState adam, float[] best, State state) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(STATE_ENTRY, Artifacts.JSON.writeValueAsBytes(state));
        entries.put(PARAMETERS_ENTRY, writeFloats(params));
        entries.put(ADAM_M_ENTRY, writeFloats(adam.m));
        entries.put(ADAM_V_ENTRY, writeFloats(adam.v));
        entries.put(BEST_ENTRY, writeFloats(best));
        return Artifacts.zip(entries);
    }

    /** Epoch of a checkpoint (how many epochs it has completed), without restoring it. */
    public static int checkpointEpoch(byte[] checkpoint) {
        return Artifacts.JSON.readValue(Artifacts.require(Artifacts.unzip(checkpoint, NadeArtifacts.MAX_ENTRY_BYTES,
                "NADE"), STATE_ENTRY), State.class).nextEpoch();
    }

    private static byte[] writeFloats(float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return buffer.array();
    }

    private static float[] readFloats(byte[] bytes) {
        float[] values = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return values;
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

    /** Mean teacher-forced NLL per profile of a model's parameters (nats). */
    static double meanNll(float[] params, NadeHyperParameters hp, ProfileArrays data, NadeNormaliser normaliser) {
        NadeTrainer trainer = new NadeTrainer(hp);
        Shard[] shards = new Shard[SHARDS];
        for (int s = 0; s < SHARDS; s++) {
            shards[s] = new Shard(new NadeKernel(hp.fixedVariance(), hp.varianceFloor()), 0);
        }
        return trainer.meanNll(null, shards, params, data, normaliser);
    }
}
