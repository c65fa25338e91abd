package org.cvdplanner.nade;

import org.cvdplanner.artifact.Artifacts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.cvdplanner.job.InvalidJobParametersException;
import org.cvdplanner.job.JobCancelledException;
import org.cvdplanner.job.JobContext;
import org.cvdplanner.job.JobHandler;
import org.cvdplanner.job.JobResult;
import org.cvdplanner.profile.DatasetSummary;
import org.cvdplanner.profile.Datasets;
import org.cvdplanner.synthesis.ProfileArrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The {@code nade-training} job: loads the dataset, splits it by profile (seeded), trains one or
 * more NADE-CVD models ({@code members}, on up to {@code nd4jThreads} threads), saves a
 * checkpoint after every epoch (parameters + Adam moments + epoch + best-so-far parameters of every
 * member) so a killed job resumes from its last epoch, evaluates the best member on the test
 * split and stores it in the registry (once per job, whatever the number of runs).
 *
 * <p>Only the job's own thread talks to the {@link JobContext}; training threads hand it their
 * epochs and batches through a queue and stop at the next mini-batch when the job is cancelled.
 */
@Component
class NadeTrainingJob implements JobHandler<NadeTrainingParameters> {

    static final String TYPE = "nade-training";
    private static final Logger log = LoggerFactory.getLogger(NadeTrainingJob.class);

    private final Datasets datasets;
    private final NadeModelService models;
    private final NadeProperties properties;

    NadeTrainingJob(Datasets datasets, NadeModelService models, NadeProperties properties) {
        this.datasets = datasets;
        this.models = models;
        this.properties = properties;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Class<NadeTrainingParameters> parametersType() {
        return NadeTrainingParameters.class;
    }

    @Override
    public void validate(NadeTrainingParameters p) {
        DatasetSummary dataset = datasets.find(p.datasetId()).orElseThrow(
                () -> new InvalidJobParametersException("datasetId", "dataset " + p.datasetId() + " does not exist"));
        if (p.validationFraction() + p.testFraction() >= 0.9) {
            throw new InvalidJobParametersException("testFraction", "validationFraction + testFraction must be below 0.9");
        }
        if (dataset.stepCount() < 2) {
            throw new InvalidJobParametersException("datasetId", "profiles need at least 2 steps");
        }
        int processors = Runtime.getRuntime().availableProcessors();
        if (p.nd4jThreads() > Math.max(2, processors)) {
            // more threads than cores only adds switching; 64 on a 1-CPU pod starves the probes
            throw new InvalidJobParametersException("nd4jThreads", "must be at most " + Math.max(2, processors)
                    + " (the processors of this instance), was " + p.nd4jThreads());
        }
        try {
            NadeSplit.sizes((int) Math.min(Integer.MAX_VALUE, dataset.profileCount()), p.validationFraction(),
                    p.testFraction());
        } catch (IllegalArgumentException e) {
            throw new InvalidJobParametersException("datasetId", "dataset " + p.datasetId() + " has "
                    + dataset.profileCount() + " profile(s): too few to split into training, validation and test");
        }
        try {
            p.hyperParameters(0, 0);
        } catch (InvalidHyperParameterException e) {
            throw new InvalidJobParametersException(parameterName(e.field()), e.getMessage());
        }
    }

    private static String parameterName(String hyperParameter) {
        return switch (hyperParameter) {
            case "schedule" -> "learningRateSchedule";
            default -> hyperParameter;
        };
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

    @Override
    public JobResult run(NadeTrainingParameters p, JobContext context) throws Exception {
        ProfileArrays all = datasets.loadArrays(p.datasetId());
        long splitSeed = p.splitSeed() != null ? p.splitSeed() : context.seed();
        NadeSplit split = NadeSplit.of(all, p.validationFraction(), p.testFraction(), splitSeed);
        int members = p.members();
        byte[][] latest = context.checkpoint().map(bytes -> readMembers(bytes, members)).orElse(new byte[members][]);
        int batches = (split.train().profileCount() + p.batchSize() - 1) / p.batchSize();
        long total = (long) members * p.epochs() * batches;
        long[] done = new long[members];
        for (int m = 0; m < members; m++) {
            done[m] = latest[m] == null ? 0 : (long) NadeTrainer.checkpointEpoch(latest[m]) * batches;
        }
        context.progress(sum(done), total, "batch");

        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(p.concurrentMembers(), runnable -> {
            Thread thread = new Thread(runnable, "nade-training-" + context.jobId().toString().substring(0, 8));
            thread.setDaemon(true);
            return thread;
        });
        for (int m = 0; m < members; m++) {
            int member = m;
            byte[] resume = latest[m];
            NadeHyperParameters hp = p.hyperParameters(context.seed(), m);
            pool.execute(() -> {
                try {
                    NadeModel model = new NadeTrainer(hp, p.threadsPerMember()).train(split.train(), split.validation(), p.datasetId(),
                            resume, new NadeTrainingListener() {
                                @Override
                                public void afterBatch(int epoch, int batch, int batchesPerEpoch) {
                                    if (stop.get()) {
                                        throw new JobCancelledException();
                                    }
                                    events.add(new Batch(member, epoch, batch, batchesPerEpoch));
                                }

                                @Override
                                public void afterEpoch(EpochReport report, Supplier<byte[]> checkpoint) {
                                    events.add(new Epoch(member, report, checkpoint.get()));
                                }

                                @Override
                                public boolean stopAfterEpoch(EpochReport report) {
                                    return p.timeBudgetSeconds() > 0 && report.trainingSeconds() >= p.timeBudgetSeconds();
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
        Throwable failure = null;
        int finished = 0;
        try {
            while (finished < members) {
                if (!stop.get() && context.isCancellationRequested()) {
                    stop.set(true);
                }
                Event event = events.poll(200, TimeUnit.MILLISECONDS);
                if (event == null) {
                    continue;
                }
                if (event instanceof Batch b) {
                    done[b.member()] = (long) (b.epoch() - 1) * b.batches() + b.batch();
                    context.progress(sum(done), total, "batch");
                } else if (event instanceof Epoch e) {
                    latest[e.member()] = e.checkpoint();
                    String prefix = members == 1 ? "" : "member" + e.member() + ".";
                    EpochReport r = e.report();
                    context.metric(prefix + "trainNll", r.epoch(), r.trainNll());
                    context.metric(prefix + "validationNll", r.epoch(), r.validationNll());
                    context.metric(prefix + "learningRate", r.epoch(), r.learningRate());
                    context.metric(prefix + "trainingSeconds", r.epoch(), r.trainingSeconds());
                    context.completed("epoch", 1);
                    context.saveCheckpoint(writeMembers(latest));
                } else if (event instanceof Done d) {
                    trained[d.member()] = d.model();
                    finished++;
                } else if (event instanceof Failed f) {
                    finished++;
                    if (failure == null || failure instanceof JobCancelledException) {
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
        context.throwIfCancelled();
        if (failure instanceof Exception e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        NadeModel best = trained[0];
        List<Double> memberNll = new ArrayList<>();
        for (NadeModel m : trained) {
            memberNll.add(m.provenance().bestValidationNll());
            if (m.provenance().bestValidationNll() < best.provenance().bestValidationNll()) {
                best = m;
            }
        }
        context.progress(total, total, "batch");
        long started = System.nanoTime();
        if (split.validation().profileCount() > 0) {
            // band calibration on the validation split (deterministic for the job's seed), see docs/nade.md
            best = best.calibrated(split.validation(), properties.calibrationRollouts(), context.seed(),
                    properties.calibrationProfiles());
        }
        NadeEvaluation evaluation = best.evaluate(split.test(), properties.evaluationRollouts(), context.seed());
        log.info("job {}: evaluated on {} test profiles in {} ms", context.jobId(), split.test().profileCount(),
                (System.nanoTime() - started) / 1_000_000);
        context.throwIfCancelled();
        Map<String, Object> splitInfo = split.describe();
        splitInfo.put("members", members);
        splitInfo.put("memberValidationNll", memberNll);
        UUID id = models.store(context.jobId(), p.datasetId(), best, splitInfo, evaluation);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("modelId", id.toString());
        result.put("testNll", evaluation.nllPerProfile());
        result.put("validationNll", best.provenance().bestValidationNll());
        result.put("bestEpoch", best.provenance().bestEpoch());
        result.put("epochsRun", best.provenance().epochsRun());
        result.put("trainingSeconds", best.provenance().trainingSeconds());
        result.put("lastStepRmse2HAtoms", NadeEvaluation.atoms(evaluation.lastStep().rmse()[0]));
        return new JobResult(result);
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
