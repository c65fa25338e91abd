package org.cvdplanner.nade;

import java.util.function.Supplier;

/** Hooks into a running {@link NadeTrainer}; every method is called on the training thread. */
public interface NadeTrainingListener {

    NadeTrainingListener NONE = new NadeTrainingListener() {
    };

    /**
     * After every mini-batch. Throw (any unchecked exception) to stop training, e.g. on
     * cancellation; the exception propagates out of {@code train}.
     */
    default void afterBatch(int epoch, int batch, int batchesPerEpoch) {
    }

    /**
     * After every epoch.
     *
     * @param checkpoint serialises the trainer's state now (network with updater state, epoch,
     *     best-so-far parameters, history); resuming from it continues after this epoch. Valid
     *     only during this call.
     */
    default void afterEpoch(EpochReport report, Supplier<byte[]> checkpoint) {
    }

    /**
     * Asked after every epoch (after {@link #afterEpoch}): true ends training there, gracefully,
     * returning the best model so far (e.g. when a wall-time budget is spent).
     */
    default boolean stopAfterEpoch(EpochReport report) {
        return false;
    }
}
