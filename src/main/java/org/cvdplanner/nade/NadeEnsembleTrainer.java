package org.cvdplanner.nade;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.cvdplanner.artifact.Artifacts;
import org.cvdplanner.synthesis.ProfileArrays;

/**
 * Trains a NADE-CVD model the way the service does: splits the profiles (seeded, by profile),
 * trains {@code members} models that differ only in their seed (member m: seed + m), keeps the
 * one with the lowest validation NLL, calibrates its bands on the validation split and evaluates
 * it on the test split. Plain Java: the {@code nade-training} job is an adapter from a
 * {@link Listener} to its job context.
 *
 * <p>Members train on a pool of their own; the {@link Listener} is called only on the thread that
 * called {@link #train}, so it may talk to anything that is not thread-safe.
 *
 * <p>The checkpoint holds every member's latest trainer checkpoint (parameters, Adam moments,
 * best parameters, learning curve). It is handed out once per round, when every member that is
 * training has finished an epoch since the last one, so each epoch of each member is written
 * once, not once per member.
 */
public final class NadeEnsembleTrainer {

    /**
     * @param hyperParameters member 0's settings; member m trains with seed + m
     * @param members models trained (1–16)
     * @param threadsPerMember threads each member trains on
     * @param concurrentMembers members training at the same time
     * @param validationFraction share of profiles for validation
     * @param testFraction share of profiles for the test evaluation
     * @param splitSeed the split's shuffle seed
     * @param timeBudgetSeconds stop each member after the epoch that reaches this training time (0 = none)
     * @param calibrationRollouts rollouts per validation profile when fitting the band calibration
     * @param calibrationProfiles validation profiles used for the calibration (at most)
     * @param evaluationRollouts rollouts per test profile in the evaluation
     * @param evaluationSeed seed of the calibration and evaluation rollouts
     */
    public record Settings(NadeHyperParameters hyperParameters, int members, int threadsPerMember,
            int concurrentMembers, double validationFraction, double testFraction, long splitSeed,
            long timeBudgetSeconds, int calibrationRollouts, int calibrationProfiles, int evaluationRollouts,
            long evaluationSeed) {

        public Settings {
            if (members < 1 || threadsPerMember < 1 || concurrentMembers < 1 || timeBudgetSeconds < 0) {
                throw new IllegalArgumentException("members, threads and concurrency must be >= 1");
            }
        }

        NadeHyperParameters member(int m) {
            return hyperParameters.withSeed(hyperParameters.seed() + m);
        }
    }

    /** What the caller hears while training runs; every method is called on the caller's thread. */
    public interface Listener {

        /** Batches done over all members, out of the total the whole ensemble will train. */
        default void progress(long batchesDone, long batchesTotal) {
        }

        /** One member finished an epoch. */
        default void epoch(int member, int members, EpochReport report) {
        }

        /** A checkpoint to store; {@link #train} resumes from the last one handed out. */
        default void checkpoint(byte[] checkpoint) {
        }

        /** Polled a few times a second; true stops training at the next mini-batch. */
        default boolean cancelled() {
            return false;
        }
    }

    /** The chosen model (calibrated, its provenance carrying the split) and its test evaluation. */
    public record Result(NadeModel model, NadeEvaluation evaluation, List<Double> memberValidationNll,
            int trainProfiles, int validationProfiles, int testProfiles) {

        /** The split and the ensemble as the model registry lists them. */
        public Map<String, Object> splitDescription() {
            NadeProvenance.Split split = model.provenance().split();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("validationFraction", split.validationFraction());
            m.put("testFraction", split.testFraction());
            m.put("seed", split.seed());
            m.put("trainProfiles", trainProfiles);
            m.put("validationProfiles", validationProfiles);
            m.put("testProfiles", testProfiles);
            m.put("testProfileHash", split.testProfileHash());
            m.put("members", split.members());
            m.put("memberValidationNll", memberValidationNll);
            return m;
        }
    }

    private final Settings settings;

    public NadeEnsembleTrainer(Settings settings) {
        this.settings = settings;
    }

    /** Profiles in [train, validation, test] for {@code profiles} profiles; throws when a part would be empty. */
    public static int[] splitSizes(int profiles, double validationFraction, double testFraction) {
        return NadeSplit.sizes(profiles, validationFraction, testFraction);
    }

    /** The epoch the given checkpoint's members have reached, at least (0 for none). */
    public static int checkpointEpoch(byte[] checkpoint, int members) {
        int min = Integer.MAX_VALUE;
        for (byte[] member : readMembers(checkpoint, members)) {
            min = Math.min(min, member == null ? 0 : NadeTrainer.checkpointEpoch(member));
        }
        return min == Integer.MAX_VALUE ? 0 : min;
    }

    private interface Event {
    }

    private record Batch(int member, int epoch, int batch, int batches) implements Event {
    }

    private record Epoch(int member, EpochReport report, byte[] checkpoint) implements Event {
    }

    private record Done(int member, NadeModel model) implements Event {
    }

    private record Failed(int member, Throwable error) implements Event {
    }

    /**
     * @param all every profile of the dataset, in a stable order
     * @param datasetId recorded in the provenance (may be null)
     * @param resumeFrom a checkpoint handed out by an earlier run with the same settings and profiles, or null
     * @throws CancellationException when the listener cancelled
     */
    public Result train(ProfileArrays all, Long datasetId, byte[] resumeFrom, Listener listener)
            throws InterruptedException {
        int members = settings.members();
        NadeSplit split = NadeSplit.of(all, settings.validationFraction(), settings.testFraction(),
                settings.splitSeed());
        byte[][] latest = resumeFrom == null ? new byte[members][] : readMembers(resumeFrom, members);
        int batchSize = settings.hyperParameters().batchSize();
        int batches = (split.train().profileCount() + batchSize - 1) / batchSize;
        long total = (long) members * settings.hyperParameters().epochs() * batches;
        long[] done = new long[members];
        for (int m = 0; m < members; m++) {
            done[m] = latest[m] == null ? 0 : (long) NadeTrainer.checkpointEpoch(latest[m]) * batches;
        }
        listener.progress(sum(done), total);

        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(settings.concurrentMembers(), runnable -> {
            Thread thread = new Thread(runnable, "nade-ensemble");
            thread.setDaemon(true);
            return thread;
        });
        for (int m = 0; m < members; m++) {
            int member = m;
            byte[] resume = latest[m];
            NadeHyperParameters hp = settings.member(m);
            pool.execute(() -> {
                try {
                    NadeModel model = new NadeTrainer(hp, settings.threadsPerMember()).train(split.train(),
                            split.validation(), datasetId, resume, new NadeTrainingListener() {
                                @Override
                                public void afterBatch(int epoch, int batch, int batchesPerEpoch) {
                                    if (stop.get()) {
                                        throw new CancellationException();
                                    }
                                    events.add(new Batch(member, epoch, batch, batchesPerEpoch));
                                }

                                @Override
                                public void afterEpoch(EpochReport report, Supplier<byte[]> checkpoint) {
                                    events.add(new Epoch(member, report, checkpoint.get()));
                                }

                                @Override
                                public boolean stopAfterEpoch(EpochReport report) {
                                    return settings.timeBudgetSeconds() > 0
                                            && report.trainingSeconds() >= settings.timeBudgetSeconds();
                                }
                            });
                    events.add(new Done(member, model));
                } catch (Throwable e) {
                    events.add(new Failed(member, e));
                }
            });
        }
        pool.shutdown();
        NadeModel[] trained = new NadeModel[members];
        boolean[] training = new boolean[members];
        boolean[] fresh = new boolean[members];
        Throwable failure = null;
        int finished = 0;
        try {
            while (finished < members) {
                if (!stop.get() && listener.cancelled()) {
                    stop.set(true);
                }
                Event event = events.poll(200, TimeUnit.MILLISECONDS);
                if (event == null) {
                    continue;
                }
                if (event instanceof Batch b) {
                    training[b.member()] = true;
                    done[b.member()] = (long) (b.epoch() - 1) * b.batches() + b.batch();
                    listener.progress(sum(done), total);
                } else if (event instanceof Epoch e) {
                    latest[e.member()] = e.checkpoint();
                    fresh[e.member()] = true;
                    listener.epoch(e.member(), members, e.report());
                    if (roundComplete(training, fresh)) {
                        listener.checkpoint(writeMembers(latest));
                        Arrays.fill(fresh, false);
                    }
                } else if (event instanceof Done d) {
                    trained[d.member()] = d.model();
                    training[d.member()] = false;
                    finished++;
                    if (anyFresh(fresh)) {
                        listener.checkpoint(writeMembers(latest));
                        Arrays.fill(fresh, false);
                    }
                } else if (event instanceof Failed f) {
                    training[f.member()] = false;
                    finished++;
                    if (failure == null || failure instanceof CancellationException) {
                        failure = f.error();
                    }
                    stop.set(true);
                }
            }
        } finally {
            stop.set(true);
            pool.shutdownNow();
            pool.awaitTermination(30, TimeUnit.SECONDS);
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
        if (listener.cancelled()) {
            throw new CancellationException();
        }
        int bestMember = 0;
        List<Double> memberNll = new ArrayList<>();
        for (int m = 0; m < members; m++) {
            memberNll.add(trained[m].provenance().bestValidationNll());
            if (trained[m].provenance().bestValidationNll() < trained[bestMember].provenance().bestValidationNll()) {
                bestMember = m;
            }
        }
        listener.progress(total, total);
        NadeModel best = trained[bestMember];
        if (split.validation().profileCount() > 0) {
            // band calibration on the validation split (deterministic for the seed), see docs/nade.md
            best = best.calibrated(split.validation(), settings.calibrationRollouts(), settings.evaluationSeed(),
                    settings.calibrationProfiles());
        }
        best = best.withSplit(new NadeProvenance.Split(split.seed(), split.validationFraction(), split.testFraction(),
                split.test().profileCount(), NadeArtifacts.profileHash(split.test()), members, bestMember, memberNll));
        NadeEvaluation evaluation = best.evaluate(split.test(), settings.evaluationRollouts(),
                settings.evaluationSeed());
        return new Result(best, evaluation, memberNll, split.train().profileCount(),
                split.validation().profileCount(), split.test().profileCount());
    }

    /** Every member that is training has finished an epoch since the last checkpoint. */
    private static boolean roundComplete(boolean[] training, boolean[] fresh) {
        for (int m = 0; m < training.length; m++) {
            if (training[m] && !fresh[m]) {
                return false;
            }
        }
        return true;
    }

    private static boolean anyFresh(boolean[] fresh) {
        for (boolean f : fresh) {
            if (f) {
                return true;
            }
        }
        return false;
    }

    private static long sum(long[] values) {
        long s = 0;
        for (long v : values) {
            s += v;
        }
        return s;
    }

    static byte[] writeMembers(byte[][] members) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int m = 0; m < members.length; m++) {
            if (members[m] != null) {
                entries.put("member-" + m, members[m]);
            }
        }
        return Artifacts.zip(entries);
    }

    static byte[][] readMembers(byte[] checkpoint, int members) {
        Map<String, byte[]> entries = Artifacts.unzip(checkpoint, NadeArtifacts.MAX_ENTRY_BYTES, "NADE");
        byte[][] out = new byte[members][];
        for (int m = 0; m < members; m++) {
            out[m] = entries.get("member-" + m);
        }
        return out;
    }
}
