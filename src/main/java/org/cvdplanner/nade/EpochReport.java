package org.cvdplanner.nade;

/**
 * What one finished epoch measured.
 *
 * @param epoch 1-based number of the epoch just finished
 * @param epochs the most epochs the run may take
 * @param trainNll mean NLL per training profile over the epoch's mini-batches (nats)
 * @param validationNll mean teacher-forced NLL per validation profile after the epoch (nats)
 * @param learningRate the learning rate used in the epoch
 * @param trainingSeconds wall time spent training so far (resumed runs included)
 * @param bestEpoch the best epoch so far by validation NLL
 * @param bestValidationNll its validation NLL
 */
public record EpochReport(int epoch, int epochs, double trainNll, double validationNll, double learningRate,
        double trainingSeconds, int bestEpoch, double bestValidationNll) {
}
