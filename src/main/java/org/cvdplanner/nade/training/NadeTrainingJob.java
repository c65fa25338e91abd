package org.cvdplanner.nade.training;

import org.cvdplanner.nade.EpochReport;
import org.cvdplanner.nade.InvalidHyperParameterException;
import org.cvdplanner.nade.NadeEnsembleTrainer;
import org.cvdplanner.nade.NadeEvaluation;
import org.cvdplanner.nade.NadeModel;
import org.cvdplanner.nade.NadeProperties;
import org.cvdplanner.nade.store.NadeModelService;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CancellationException;

import org.cvdplanner.job.InvalidJobParametersException;
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
 * The {@code nade-training} job: loads the dataset and hands it to the {@link NadeEnsembleTrainer}
 * (split, members, calibration, test evaluation), reporting its progress, learning curves and
 * checkpoints to the job engine, so a killed job resumes from its last epoch; stores the chosen
 * model in the registry (once per job, whatever the number of runs).
 */
@Component
public class NadeTrainingJob implements JobHandler<NadeTrainingParameters> {

    public static final String TYPE = "nade-training";
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
            NadeEnsembleTrainer.splitSizes((int) Math.min(Integer.MAX_VALUE, dataset.profileCount()), p.validationFraction(),
                    p.testFraction());
        } catch (IllegalArgumentException e) {
            throw new InvalidJobParametersException("datasetId", "dataset " + p.datasetId() + " has "
                    + dataset.profileCount() + " profile(s): too few to split into training, validation and test");
        }
        try {
            p.hyperParameters(0);
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

    @Override
    public JobResult run(NadeTrainingParameters p, JobContext context) throws Exception {
        ProfileArrays all = datasets.loadArrays(p.datasetId());
        NadeEnsembleTrainer.Settings settings = new NadeEnsembleTrainer.Settings(p.hyperParameters(context.seed()),
                p.members(), p.threadsPerMember(), p.concurrentMembers(), p.validationFraction(), p.testFraction(),
                p.splitSeed() != null ? p.splitSeed() : context.seed(), p.timeBudgetSeconds(),
                properties.calibrationRollouts(), properties.calibrationProfiles(), properties.evaluationRollouts(),
                context.seed());
        long started = System.nanoTime();
        NadeEnsembleTrainer.Result trained;
        try {
            trained = new NadeEnsembleTrainer(settings).train(all, p.datasetId(), context.checkpoint().orElse(null),
                    new NadeEnsembleTrainer.Listener() {
                        @Override
                        public void progress(long batchesDone, long batchesTotal) {
                            context.progress(batchesDone, batchesTotal, "batch");
                        }

                        @Override
                        public void epoch(int member, int members, EpochReport r) {
                            String prefix = members == 1 ? "" : "member" + member + ".";
                            context.metric(prefix + "trainNll", r.epoch(), r.trainNll());
                            context.metric(prefix + "validationNll", r.epoch(), r.validationNll());
                            context.metric(prefix + "learningRate", r.epoch(), r.learningRate());
                            context.metric(prefix + "trainingSeconds", r.epoch(), r.trainingSeconds());
                            context.completed("epoch", 1);
                        }

                        @Override
                        public void checkpoint(byte[] checkpoint) {
                            context.saveCheckpoint(checkpoint);
                        }

                        @Override
                        public boolean cancelled() {
                            return context.isCancellationRequested();
                        }
                    });
        } catch (CancellationException e) {
            context.throwIfCancelled();
            throw e;
        }
        context.throwIfCancelled();
        log.info("job {}: trained, calibrated and evaluated on {} test profiles in {} s", context.jobId(),
                trained.testProfiles(), (System.nanoTime() - started) / 1_000_000_000);
        NadeModel best = trained.model();
        NadeEvaluation evaluation = trained.evaluation();
        UUID id = models.store(context.jobId(), p.datasetId(), best, trained.splitDescription(), evaluation);
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
}
