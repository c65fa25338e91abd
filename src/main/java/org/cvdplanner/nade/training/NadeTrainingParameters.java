package org.cvdplanner.nade.training;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.cvdplanner.nade.NadeHyperParameters;
import org.cvdplanner.nade.NadeTrainer;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * Parameters of a {@code nade-training} job (stored as JSON with the job). Absent values take
 * the defaults below. The training seed is the job's seed.
 *
 * @param datasetId the dataset whose profiles are split and trained on
 * @param validationFraction share of profiles for early stopping (default 0.1)
 * @param testFraction share of profiles held out for the test metrics (default 0.1)
 * @param splitSeed seed of the split by profile (default: the job's seed)
 * @param epochs the most epochs (default 40)
 * @param batchSize profiles per mini-batch (default 32, the paper's)
 * @param learningRate Adam's learning rate (default 1e-3)
 * @param learningRateSchedule COSINE (default) or CONSTANT
 * @param finalLearningRateFraction COSINE: last epoch's rate as a fraction of the first (default 0.05)
 * @param earlyStoppingPatience epochs without a better validation NLL before stopping (default 10; 0 = off)
 * @param fixedVariance fixed variance of every phase (the authors' 0.01); 0 = learned (default)
 * @param gradientClipNorm per-layer gradient L2 clip; 0 = off (default)
 * @param nd4jThreads threads the job trains on (default: 2, or 1 on a one-core machine). ND4J
 *     itself runs single-threaded (OMP_NUM_THREADS=1 is fastest); one model trains on up to 2
 *     threads (data-parallel halves of each mini-batch, same result as 1 thread), so more
 *     threads than 2 × members are not used
 * @param members models trained with seeds seed .. seed+members-1 (default 1); the best by
 *     validation NLL is kept
 * @param timeBudgetSeconds stop after the epoch in which training time reaches this (0 = none; at most 7 days)
 * @param seed the job's seed (weights, mini-batch order, default split); drawn when absent
 * @param externalRef the lab system's own reference, stored with the job rather than in its
 *     parameters (so only read from a request)
 */
public record NadeTrainingParameters(@NotNull Long datasetId,
        @DecimalMin(value = "0", inclusive = false) @DecimalMax("0.5") Double validationFraction,
        @DecimalMin(value = "0", inclusive = false) @DecimalMax("0.5") Double testFraction, Long splitSeed,
        @Min(1) @Max(100_000) Integer epochs, @Min(1) @Max(65_536) Integer batchSize,
        @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") Double learningRate,
        NadeHyperParameters.LearningRateSchedule learningRateSchedule,
        @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") Double finalLearningRateFraction,
        @Min(0) @Max(100_000) Integer earlyStoppingPatience, @DecimalMin("0") @DecimalMax("1") Double fixedVariance,
        @DecimalMin("0") @DecimalMax("1000000") Double gradientClipNorm, @Min(1) @Max(64) Integer nd4jThreads,
        @Min(0) @Max(604_800) Integer timeBudgetSeconds, Long seed, @Min(1) @Max(16) Integer members,
        @JsonProperty(access = JsonProperty.Access.WRITE_ONLY) String externalRef) {

    public NadeTrainingParameters(Long datasetId, Double validationFraction, Double testFraction, Long splitSeed, Integer epochs,
            Integer batchSize, Double learningRate, NadeHyperParameters.LearningRateSchedule learningRateSchedule,
            Double finalLearningRateFraction, Integer earlyStoppingPatience, Double fixedVariance,
            Double gradientClipNorm, Integer nd4jThreads, Integer timeBudgetSeconds, Long seed, Integer members) {
        this(datasetId, validationFraction, testFraction, splitSeed, epochs, batchSize, learningRate,
                learningRateSchedule, finalLearningRateFraction, earlyStoppingPatience, fixedVariance, gradientClipNorm,
                nd4jThreads, timeBudgetSeconds, seed, members, null);
    }

    public NadeTrainingParameters {
        NadeHyperParameters d = NadeHyperParameters.defaults();
        validationFraction = validationFraction == null ? 0.1 : validationFraction;
        testFraction = testFraction == null ? 0.1 : testFraction;
        epochs = epochs == null ? d.epochs() : epochs;
        batchSize = batchSize == null ? d.batchSize() : batchSize;
        learningRate = learningRate == null ? d.learningRate() : learningRate;
        learningRateSchedule = learningRateSchedule == null ? d.schedule() : learningRateSchedule;
        finalLearningRateFraction = finalLearningRateFraction == null ? d.finalLearningRateFraction()
                : finalLearningRateFraction;
        earlyStoppingPatience = earlyStoppingPatience == null ? d.earlyStoppingPatience() : earlyStoppingPatience;
        fixedVariance = fixedVariance == null ? 0.0 : fixedVariance;
        gradientClipNorm = gradientClipNorm == null ? 0.0 : gradientClipNorm;
        nd4jThreads = nd4jThreads == null ? Math.min(2, Runtime.getRuntime().availableProcessors()) : nd4jThreads;
        members = members == null ? 1 : members;
        timeBudgetSeconds = timeBudgetSeconds == null ? 0 : timeBudgetSeconds;
    }

    /** Threads each member trains on. */
    int threadsPerMember() {
        return Math.max(1, Math.min(NadeTrainer.SHARDS, nd4jThreads / members));
    }

    /** Members that train at the same time. */
    int concurrentMembers() {
        return Math.max(1, Math.min(members, nd4jThreads / threadsPerMember()));
    }

    /**
     * The trainer's hyper-parameters of a job with seed {@code seed} (the ensemble trainer gives
     * member m seed + m).
     */
    NadeHyperParameters hyperParameters(long seed) {
        return new NadeHyperParameters(epochs, batchSize, learningRate, learningRateSchedule, finalLearningRateFraction,
                seed, earlyStoppingPatience, fixedVariance, NadeHyperParameters.DEFAULT_VARIANCE_FLOOR,
                gradientClipNorm);
    }
}
