package org.cvdplanner.agent;

import org.cvdplanner.simulation.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.cvdplanner.nade.NadeModel;
import org.cvdplanner.nade.NadeRollout;
import org.cvdplanner.nade.StepOutput;

/**
 * The agent's environment: runs batches of episodes against a NADE-CVD model, one NADE step per
 * environment step for the whole batch, the LSTM state carried (DESIGN.md, "The agent"):
 *
 * <pre>
 * consume [Z_0, X_0]          → s_0, Z_1
 * for t = 0 .. n−3:  a_t ~ N(μ(s_t), σ²) clipped to [−1, 1];  X_{t+1} = limits(X_t, target a_t)
 *                    consume [Z_{t+1}, X_{t+1}] → s_{t+1}, Z_{t+2};  reward of a_t from Z_{t+2}
 * X_{n−1} = X_{n−2}            (the last step's conditions have no observed effect)
 * </pre>
 *
 * A batch is split into shards run on up to {@code threads} threads, each with its own
 * {@link NadeRollout}; every row draws from its own random stream (derived from the batch seed
 * and the row), so the draws do not depend on the thread count. Not thread-safe itself: one
 * caller at a time. Close it to stop its worker threads.
 */
final class EpisodeRunner implements AutoCloseable {

    /** Rows below which a batch is not split further. */
    private static final int MIN_SHARD_ROWS = 16;
    private static final int H = PolicyNet.H;
    private static final int A = PolicyNet.A;
    private static final int F = PolicyNet.FEATURES;

    private final NadeModel nade;
    private final AgentHyperParameters hp;
    private final RewardFunction reward;
    private final FurnaceLimits limits;
    private final int threads;
    private final ExecutorService pool;
    private final List<NadeRollout> rollouts = new ArrayList<>();

    EpisodeRunner(NadeModel nade, AgentHyperParameters hp, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1");
        }
        this.nade = nade;
        this.hp = hp;
        this.reward = RewardFunction.of(hp);
        this.limits = new FurnaceLimits(hp);
        this.threads = threads;
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
            Thread thread = new Thread(r, "agent-episodes");
            thread.setDaemon(true);
            return thread;
        });
    }

    RewardFunction reward() {
        return reward;
    }

    /**
     * Runs {@code rows} episodes of the policy.
     *
     * @param sampleActions draw a_t ~ N(μ, σ²) (true) or take a_t = μ (false)
     * @param sampleEnvironment feed back Z sampled from the NADE Gaussian (true) or its mean
     * @param x0 X_0 per row (rows × 4) or null: then {@link AgentHyperParameters#initialConditions()}
     *     or, when that is null too, uniform within the bounds
     * @param keepStates keep the policy's inputs of every step (needed for training)
     * @param steps schedule length (the model's horizon, or longer for proposals: the model then
     *     extrapolates)
     * @param sigma the action noise when sampling
     */
    EpisodeBatch run(PolicyNet policy, int rows, boolean sampleActions, boolean sampleEnvironment, long seed,
            double[] x0, boolean keepStates, int steps, double sigma) {
        EpisodeBatch batch = new EpisodeBatch(rows, steps, keepStates);
        parallel(rows, (shard, from, to) -> runShard(policy, batch, shard, from, to, sampleActions,
                sampleEnvironment, seed, x0, sigma));
        return batch;
    }

    FurnaceLimits limits() {
        return limits;
    }

    /**
     * Rolls out fixed schedules (rows × steps × 4) and returns each one's objective value, read
     * as in training (from the predicted mean of every rewarded step).
     */
    double[] evaluate(double[] schedules, int rows, boolean sampleEnvironment, long seed) {
        if (schedules.length != rows * hp.steps() * 4) {
            throw new IllegalArgumentException("expected " + rows + " schedules of " + hp.steps() + " steps");
        }
        double[] values = new double[rows];
        parallel(rows, (shard, from, to) -> evaluateShard(schedules, values, shard, from, to, sampleEnvironment,
                seed));
        return values;
    }

    private interface ShardWork {
        void run(int shard, int from, int to);
    }

    private void parallel(int rows, ShardWork work) {
        int shards = Math.max(1, Math.min(threads, rows / MIN_SHARD_ROWS));
        synchronized (rollouts) {
            while (rollouts.size() < shards) {
                rollouts.add(null);
            }
        }
        if (shards == 1) {
            work.run(0, 0, rows);
            return;
        }
        List<Future<?>> futures = new ArrayList<>(shards - 1);
        for (int s = 1; s < shards; s++) {
            int shard = s;
            int from = (int) ((long) rows * s / shards);
            int to = (int) ((long) rows * (s + 1) / shards);
            futures.add(pool.submit(() -> work.run(shard, from, to)));
        }
        RuntimeException failure = null;
        try {
            work.run(0, 0, rows / shards);
        } catch (RuntimeException e) {
            failure = e;
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (failure == null) {
                    failure = new IllegalStateException("interrupted", e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** A reset rollout of {@code rows} rows for this shard, reused between batches of the same size. */
    private NadeRollout rollout(int shard, int rows) {
        NadeRollout r;
        synchronized (rollouts) {
            r = rollouts.get(shard);
        }
        if (r == null || r.batchSize() != rows) {
            r = nade.newRollout(rows);
            synchronized (rollouts) {
                rollouts.set(shard, r);
            }
        } else {
            r.reset();
        }
        return r;
    }

    private SplittableRandom[] rowRandoms(long seed, int from, int to) {
        SplittableRandom[] rng = new SplittableRandom[to - from];
        for (int i = 0; i < rng.length; i++) {
            rng[i] = new SplittableRandom(Seeds.derive(seed, from + i));
        }
        return rng;
    }

    private void runShard(PolicyNet policy, EpisodeBatch batch, int shard, int from, int to,
            boolean sampleActions, boolean sampleEnvironment, long seed, double[] x0, double sigma) {
        int b = to - from;
        int n = batch.steps;
        int actions = batch.actions;
        NadeRollout rollout = rollout(shard, b);
        SplittableRandom[] rng = rowRandoms(seed, from, to);
        Gemm gemm = b >= MIN_SHARD_ROWS ? Gemm.ND4J : Gemm.JAVA;
        double[] xd = new double[b * 4];
        float[] x = new float[b * 4];
        int[] held = new int[b];
        boolean learned = x0 == null && hp.initialConditions() == null && hp.learnInitialConditions();
        for (int i = 0; i < b; i++) {
            held[i] = 1;
            for (int c = 0; c < 4; c++) {
                double v;
                if (x0 != null) {
                    v = x0[(from + i) * 4 + c];
                } else if (hp.initialConditions() != null) {
                    v = hp.initialConditions().get(c);
                } else if (learned) {
                    double mu = policy.initialMean(c);
                    double u = sampleActions ? PolicyNet.sample(mu, sigma, rng[i]) : mu;
                    batch.initialActions[(from + i) * 4 + c] = (float) u;
                    v = limits.fromUnit(c, u);
                } else {
                    v = hp.bounds().min(c) + rng[i].nextDouble() * (hp.bounds().max(c) - hp.bounds().min(c));
                }
                xd[i * 4 + c] = limits.initial(c, v);
                x[i * 4 + c] = (float) xd[i * 4 + c];
                batch.schedules[((from + i) * n) * 4 + c] = xd[i * 4 + c];
            }
        }
        float[] z = rollout.initialPhases();
        store(batch.phases, z, from, b, n, 0);
        store(batch.predicted, z, from, b, n, 0);
        StepOutput out = rollout.step(z, x);
        float[] zNext = next(rollout, out, b, rng, sampleEnvironment);
        store(batch.phases, zNext, from, b, n, 1);
        store(batch.predicted, out.meanFlat(), from, b, n, 1);
        float[] features = new float[b * F];
        for (int t = 0; t < actions; t++) {
            features(out.hiddenFlat(), rollout.cellState(), zNext, xd, held, t, b, features);
            PolicyNet.Activations act = policy.forward(features, b, gemm);
            for (int i = 0; i < b; i++) {
                int row = (from + i) * actions + t;
                if (batch.features != null) {
                    System.arraycopy(features, i * F, batch.features, row * F, F);
                    System.arraycopy(act.a1(), i * PolicyNet.H1, batch.activations.a1(), row * PolicyNet.H1, PolicyNet.H1);
                    System.arraycopy(act.a2(), i * PolicyNet.H2, batch.activations.a2(), row * PolicyNet.H2, PolicyNet.H2);
                    System.arraycopy(act.o(), i * PolicyNet.OUT, batch.activations.o(), row * PolicyNet.OUT, PolicyNet.OUT);
                }
                batch.values[row] = (float) act.value(i);
                double previousT = xd[i * 4];
                for (int c = 0; c < A; c++) {
                    double mu = act.mean(i, c);
                    double u = sampleActions ? PolicyNet.sample(mu, sigma, rng[i]) : mu;
                    batch.actionsTaken[row * A + c] = (float) u;
                    double next = limits.next(c, xd[i * 4 + c], limits.fromUnit(c, u), held[i]);
                    xd[i * 4 + c] = next;
                    x[i * 4 + c] = (float) next;
                    batch.schedules[((from + i) * n + t + 1) * 4 + c] = next;
                }
                held[i] = FurnaceLimits.held(held[i], previousT, xd[i * 4]);
            }
            out = rollout.step(zNext, x);
            float[] predictedMean = out.meanFlat();
            boolean last = t == actions - 1;
            for (int i = 0; i < b; i++) {
                batch.rewards[(from + i) * actions + t] = (float) reward.reward(predictedMean, i * 3, last);
            }
            zNext = next(rollout, out, b, rng, sampleEnvironment);
            store(batch.phases, zNext, from, b, n, t + 2);
            store(batch.predicted, predictedMean, from, b, n, t + 2);
        }
        for (int i = 0; i < b; i++) {
            int lastRow = ((from + i) * n + n - 1) * 4;
            System.arraycopy(batch.schedules, lastRow - 4, batch.schedules, lastRow, 4);
        }
    }

    /**
     * The policy's input per row: h_t, softsign(c_t) (the cell state grows without bound; softsign
     * keeps it in (−1, 1) at the cost of a division), the phases the next action acts on, X_t in
     * units of the bounds, the index of the step being chosen as a fraction of the training horizon
     * (capped at 1 beyond it), and whether the temperature is locked by the hold time.
     */
    private void features(float[] h, float[] cell, float[] z, double[] xd, int[] held, int t, int b, float[] f) {
        float step = (float) Math.min(1.0, (t + 1) / (double) (hp.steps() - 1));
        for (int i = 0; i < b; i++) {
            int o = i * F;
            System.arraycopy(h, i * H, f, o, H);
            for (int j = 0; j < H; j++) {
                float v = cell[i * H + j];
                f[o + H + j] = v / (1f + Math.abs(v));
            }
            int k = o + 2 * H;
            f[k] = z[i * 3];
            f[k + 1] = z[i * 3 + 1];
            f[k + 2] = z[i * 3 + 2];
            for (int c = 0; c < 4; c++) {
                f[k + 3 + c] = (float) limits.toUnit(c, xd[i * 4 + c]);
            }
            f[k + 7] = step;
            f[k + 8] = limits.temperatureLocked(held[i]) ? 1f : 0f;
        }
    }

    private void evaluateShard(double[] schedules, double[] values, int shard, int from, int to,
            boolean sampleEnvironment, long seed) {
        int b = to - from;
        int n = hp.steps();
        NadeRollout rollout = rollout(shard, b);
        SplittableRandom[] rng = rowRandoms(seed, from, to);
        float[] x = new float[b * 4];
        float[] z = rollout.initialPhases();
        double[] sum = new double[b];
        for (int t = 0; t < n - 1; t++) {
            for (int i = 0; i < b; i++) {
                for (int c = 0; c < 4; c++) {
                    x[i * 4 + c] = (float) schedules[((from + i) * n + t) * 4 + c];
                }
            }
            StepOutput out = rollout.step(z, x);
            if (t >= 1) {
                boolean last = t == n - 2;
                for (int i = 0; i < b; i++) {
                    sum[i] += reward.reward(out.meanFlat(), i * 3, last);
                }
            }
            z = next(rollout, out, b, rng, sampleEnvironment);
        }
        boolean perStep = reward.objective() != Objective.MAX_FINAL_2H;
        for (int i = 0; i < b; i++) {
            values[from + i] = perStep ? sum[i] / (n - 2) : sum[i];
        }
    }

    /**
     * Z_{t+1}: the predicted mean, or a draw from the rollout's own sampler (the calibrated
     * simplex draw that forecasts use too, so the agent trains on the environment its proposals
     * are forecast with), each row from its own stream.
     */
    private static float[] next(NadeRollout rollout, StepOutput out, int b, SplittableRandom[] rng, boolean sample) {
        if (!sample) {
            return out.meanFlat();
        }
        float[] z = new float[b * 3];
        for (int i = 0; i < b; i++) {
            rollout.sample(out, i, rng[i], z);
        }
        return z;
    }

    private static void store(float[] target, float[] z, int from, int b, int n, int t) {
        for (int i = 0; i < b; i++) {
            System.arraycopy(z, i * 3, target, ((from + i) * n + t) * 3, 3);
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
