package org.cvdplanner.simulation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.cvdplanner.synthesis.ConditionVector;
import org.cvdplanner.synthesis.Schedule;

/**
 * The built-in CVD simulator: a stochastic kinetic lattice model of MoS2 formation from MoO3 in
 * an S2 / H2 / H2S atmosphere (a model of its own, not reactive MD; see docs/simulator.md).
 *
 * <p>Time convention as in the data: Z_0 is all {@link SiteState#OXIDE}; the conditions X_t act
 * for one 1-ns step (in sub-steps) and produce Z_{t+1}. A schedule of n steps gives Z_0..Z_{n−1};
 * X_{n−1} has no observed effect.
 *
 * <p>Deterministic: a run depends only on (constants, schedule, seed), bit for bit, whatever the
 * thread or the number of threads. Immutable and thread-safe.
 */
public final class CvdSimulator {

    /** The simulator with {@link SimulatorConstants#DEFAULT}. */
    public static final CvdSimulator DEFAULT = new CvdSimulator(SimulatorConstants.DEFAULT);

    /** Profiles a worker claims at a time in {@link #simulateAll}. */
    private static final int BLOCK = 16;

    private final SimulatorConstants constants;
    private final ThreadLocal<LatticeKernel> kernels;

    public CvdSimulator(SimulatorConstants constants) {
        this.constants = Objects.requireNonNull(constants);
        this.kernels = ThreadLocal.withInitial(() -> new LatticeKernel(constants));
    }

    public SimulatorConstants constants() {
        return constants;
    }

    /** Runs one schedule with one seed. */
    public SimulatedRun simulate(Schedule schedule, long seed) {
        check(schedule);
        double[] x = flatten(schedule);
        int[] counts = new int[schedule.length() * SiteState.COUNT];
        kernels.get().run(x, 0, schedule.length(), seed, counts, 0);
        return new SimulatedRun(schedule, seed, counts);
    }

    /**
     * Runs {@code schedules.get(i)} with {@code seeds[i]} for every i, on up to {@code threads}
     * threads (the caller's included). The result is the same for any thread count.
     */
    public List<SimulatedRun> simulateAll(List<Schedule> schedules, long[] seeds, int threads) {
        if (schedules.size() != seeds.length) {
            throw new IllegalArgumentException(schedules.size() + " schedules but " + seeds.length + " seeds");
        }
        schedules.forEach(CvdSimulator::check);
        SimulatedRun[] runs = new SimulatedRun[schedules.size()];
        parallel(schedules.size(), threads, i -> runs[i] = simulate(schedules.get(i), seeds[i]));
        return Arrays.asList(runs);
    }

    /** {@code replicas} runs of one schedule; replica r uses the seed {@code Seeds.derive(seed, r)}. */
    public List<SimulatedRun> replicas(Schedule schedule, int replicas, long seed, int threads) {
        if (replicas < 1) {
            throw new IllegalArgumentException("replicas must be >= 1: " + replicas);
        }
        long[] seeds = new long[replicas];
        for (int r = 0; r < replicas; r++) {
            seeds[r] = Seeds.derive(seed, r);
        }
        return simulateAll(java.util.Collections.nCopies(replicas, schedule), seeds, threads);
    }

    /**
     * The profile seed of item {@code index} of a campaign: {@code Seeds.derive(campaignSeed, index)}.
     * From it derive the random-walk schedule's seed ({@link #scheduleSeed}) and the lattice's
     * ({@link #latticeSeed}), two unrelated streams.
     */
    public static long profileSeed(long campaignSeed, long index) {
        return Seeds.derive(campaignSeed, index);
    }

    public static long scheduleSeed(long profileSeed) {
        return Seeds.derive(profileSeed, 0);
    }

    public static long latticeSeed(long profileSeed) {
        return Seeds.derive(profileSeed, 1);
    }

    /**
     * Items {@code from .. from+count−1} of a random-walk campaign: item i runs the schedule
     * {@code generator.generate(scheduleSeed(profileSeed(campaignSeed, i)))} with the lattice
     * seed {@code latticeSeed(profileSeed(campaignSeed, i))}. Item i is the same whichever chunk,
     * thread count or resumed run computes it.
     */
    public List<SimulatedRun> simulateRandomWalks(RandomWalkScheduleGenerator generator, long campaignSeed,
            long from, int count, int threads) {
        SimulatedRun[] runs = new SimulatedRun[count];
        parallel(count, threads, k -> {
            long profileSeed = profileSeed(campaignSeed, from + k);
            runs[k] = simulate(generator.generate(scheduleSeed(profileSeed)), latticeSeed(profileSeed));
        });
        return Arrays.asList(runs);
    }

    /** Per-step mean and p5–p95 band of every phase and observable over {@code replicas} runs. */
    public ReplicaSummary summarise(Schedule schedule, int replicas, long seed, int threads) {
        return ReplicaSummary.of(schedule, seed, replicas(schedule, replicas, seed, threads));
    }

    /**
     * Checks that the simulator can run a schedule: at least one step, every value finite,
     * temperature &gt; 0 K, gas amounts ≥ 0.
     *
     * @throws InvalidScheduleException naming the step and the condition
     */
    public static void check(Schedule schedule) {
        if (schedule == null || schedule.length() < 1) {
            throw new InvalidScheduleException(-1, "steps", "must contain at least one step");
        }
        String[] names = {"temperatureK", "s2", "h2", "h2s"};
        for (int t = 0; t < schedule.length(); t++) {
            ConditionVector x = schedule.at(t);
            if (x == null) {
                throw new InvalidScheduleException(t, "steps", "is missing");
            }
            for (int c = 0; c < ConditionVector.SIZE; c++) {
                double v = x.get(c);
                if (!Double.isFinite(v)) {
                    throw new InvalidScheduleException(t, names[c], "must be a finite number");
                }
                if (c == 0 && !(v > 0)) {
                    throw new InvalidScheduleException(t, names[c], "must be > 0 K");
                }
                if (c > 0 && v < 0) {
                    throw new InvalidScheduleException(t, names[c], "must be >= 0");
                }
            }
        }
    }

    static double[] flatten(Schedule schedule) {
        double[] x = new double[schedule.length() * ConditionVector.SIZE];
        for (int t = 0; t < schedule.length(); t++) {
            ConditionVector v = schedule.at(t);
            int o = t * ConditionVector.SIZE;
            x[o] = v.temperatureK();
            x[o + 1] = v.s2();
            x[o + 2] = v.h2();
            x[o + 3] = v.h2s();
        }
        return x;
    }

    /**
     * Calls {@code work.accept(i)} for i in [0, n) on up to {@code threads} threads (the caller
     * is one of them); workers claim blocks of indices, so a busy core slows nobody down. Each
     * index is handled exactly once; results must be written to per-index slots.
     */
    static void parallel(int n, int threads, java.util.function.IntConsumer work) {
        int workers = Math.max(1, Math.min(threads, (n + BLOCK - 1) / BLOCK));
        if (workers == 1) {
            for (int i = 0; i < n; i++) {
                work.accept(i);
            }
            return;
        }
        AtomicInteger nextBlock = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable worker = () -> {
            try {
                for (int start; (start = nextBlock.getAndAdd(BLOCK)) < n && failure.get() == null; ) {
                    int end = Math.min(n, start + BLOCK);
                    for (int i = start; i < end; i++) {
                        work.accept(i);
                    }
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        };
        List<Thread> started = new ArrayList<>(workers - 1);
        for (int w = 1; w < workers; w++) {
            Thread thread = new Thread(worker, "cvd-simulator-" + w);
            thread.setDaemon(true);
            thread.start();
            started.add(thread);
        }
        worker.run();
        boolean interrupted = false;
        for (Thread thread : started) {
            while (true) {
                try {
                    thread.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable e = failure.get();
        if (e instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (e instanceof Error error) {
            throw error;
        }
        if (e != null) {
            throw new IllegalStateException(e);
        }
    }
}
