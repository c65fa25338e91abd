package org.cvdplanner.nade;

import org.cvdplanner.synthesis.PhaseVector;

/**
 * Everything that decides how a NADE-CVD model is trained. The network shape itself is fixed
 * (the paper's: encoder 7-24-48-72 ReLU, LSTM 128, decoder 128-72-24 ReLU, Gaussian heads of 3).
 *
 * @param epochs the most epochs to run (early stopping may end sooner)
 * @param batchSize profiles per mini-batch (the paper: 32)
 * @param learningRate Adam's learning rate at the first epoch
 * @param schedule how the learning rate changes with the epoch
 * @param finalLearningRateFraction for {@link LearningRateSchedule#COSINE}: the learning rate
 *     of the last epoch as a fraction of the first
 * @param seed weight initialisation and mini-batch order
 * @param earlyStoppingPatience stop after this many epochs without a better validation NLL;
 *     0 = never stop early. The model returned is always the best-validation epoch's.
 * @param fixedVariance the variance of every phase when > 0 (the authors used 0.01); 0 = learned
 * @param varianceFloor added to the learned variance (default: the variance of the rounding to
 *     1/288, one Mo atom), so the likelihood of discrete data stays bounded
 * @param gradientClipNorm L2 norm clip of each layer's gradient; 0 = off
 */
public record NadeHyperParameters(int epochs, int batchSize, double learningRate, LearningRateSchedule schedule,
        double finalLearningRateFraction, long seed, int earlyStoppingPatience, double fixedVariance,
        double varianceFloor, double gradientClipNorm) {

    /** (1/288)^2 / 12: the variance of rounding a fraction to whole atoms of 288. */
    public static final double DEFAULT_VARIANCE_FLOOR = 1.0 / (12.0 * PhaseVector.MO_ATOMS * PhaseVector.MO_ATOMS);

    public enum LearningRateSchedule {
        /** The same learning rate every epoch. */
        CONSTANT,
        /** Cosine decay from learningRate to learningRate * finalLearningRateFraction at the last epoch. */
        COSINE
    }

    public NadeHyperParameters {
        require(epochs >= 1 && epochs <= 100_000, "epochs", "must be between 1 and 100000");
        require(batchSize >= 1 && batchSize <= 65_536, "batchSize", "must be between 1 and 65536");
        require(learningRate > 0 && learningRate <= 1, "learningRate", "must be in (0, 1]");
        require(schedule != null, "schedule", "must be given");
        require(finalLearningRateFraction > 0 && finalLearningRateFraction <= 1, "finalLearningRateFraction",
                "must be in (0, 1]");
        require(earlyStoppingPatience >= 0, "earlyStoppingPatience", "must be >= 0");
        require(fixedVariance >= 0 && fixedVariance <= 1 && Double.isFinite(fixedVariance), "fixedVariance",
                "must be in [0, 1] (0 = learned)");
        require(varianceFloor > 0 && varianceFloor < 0.1, "varianceFloor", "must be in (0, 0.1)");
        require(gradientClipNorm >= 0 && Double.isFinite(gradientClipNorm), "gradientClipNorm", "must be >= 0");
    }

    private static void require(boolean ok, String field, String message) {
        if (!ok) {
            throw new InvalidHyperParameterException(field, message);
        }
    }

    /**
     * The recommended setting, measured on simulator data and on realistic RMD-like data alike
     * (docs/nade.md): 40 epochs, batch 32, Adam 1e-3 decaying by a cosine to 5e-5 at the last
     * epoch, early stopping after 10 epochs without a better validation NLL, learned variance.
     */
    public static NadeHyperParameters defaults() {
        return new NadeHyperParameters(40, 32, 1e-3, LearningRateSchedule.COSINE, 0.05, 42, 10, 0,
                DEFAULT_VARIANCE_FLOOR, 0);
    }

    public NadeHyperParameters withEpochs(int value) {
        return new NadeHyperParameters(value, batchSize, learningRate, schedule, finalLearningRateFraction, seed,
                earlyStoppingPatience, fixedVariance, varianceFloor, gradientClipNorm);
    }

    public NadeHyperParameters withBatchSize(int value) {
        return new NadeHyperParameters(epochs, value, learningRate, schedule, finalLearningRateFraction, seed,
                earlyStoppingPatience, fixedVariance, varianceFloor, gradientClipNorm);
    }

    public NadeHyperParameters withLearningRate(double value, LearningRateSchedule newSchedule) {
        return new NadeHyperParameters(epochs, batchSize, value, newSchedule, finalLearningRateFraction, seed,
                earlyStoppingPatience, fixedVariance, varianceFloor, gradientClipNorm);
    }

    public NadeHyperParameters withFinalLearningRateFraction(double value) {
        return new NadeHyperParameters(epochs, batchSize, learningRate, schedule, value, seed,
                earlyStoppingPatience, fixedVariance, varianceFloor, gradientClipNorm);
    }

    public NadeHyperParameters withSeed(long value) {
        return new NadeHyperParameters(epochs, batchSize, learningRate, schedule, finalLearningRateFraction, value,
                earlyStoppingPatience, fixedVariance, varianceFloor, gradientClipNorm);
    }

    public NadeHyperParameters withEarlyStoppingPatience(int value) {
        return new NadeHyperParameters(epochs, batchSize, learningRate, schedule, finalLearningRateFraction, seed,
                value, fixedVariance, varianceFloor, gradientClipNorm);
    }

    public NadeHyperParameters withFixedVariance(double value) {
        return new NadeHyperParameters(epochs, batchSize, learningRate, schedule, finalLearningRateFraction, seed,
                earlyStoppingPatience, value, varianceFloor, gradientClipNorm);
    }

    public NadeHyperParameters withVarianceFloor(double value) {
        return new NadeHyperParameters(epochs, batchSize, learningRate, schedule, finalLearningRateFraction, seed,
                earlyStoppingPatience, fixedVariance, value, gradientClipNorm);
    }

    public NadeHyperParameters withGradientClipNorm(double value) {
        return new NadeHyperParameters(epochs, batchSize, learningRate, schedule, finalLearningRateFraction, seed,
                earlyStoppingPatience, fixedVariance, varianceFloor, value);
    }

    /** The learning rate of epoch {@code epoch} (0-based). */
    public double learningRateAt(int epoch) {
        if (schedule == LearningRateSchedule.CONSTANT || epochs == 1) {
            return learningRate;
        }
        double progress = Math.min(1.0, epoch / (double) (epochs - 1));
        double floor = learningRate * finalLearningRateFraction;
        return floor + (learningRate - floor) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }

    public boolean learnedVariance() {
        return fixedVariance == 0;
    }
}
