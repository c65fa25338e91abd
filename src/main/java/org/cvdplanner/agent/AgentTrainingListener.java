package org.cvdplanner.agent;

import java.util.function.Supplier;

/** Hooks into a running {@link AgentTrainer}; called on the training thread. */
@FunctionalInterface
public interface AgentTrainingListener {

    AgentTrainingListener NONE = (progress, checkpoint) -> {
    };

    /**
     * After every batch (policy update). Throw any unchecked exception to stop training (e.g. on
     * cancellation); it propagates out of {@code train}.
     *
     * @param checkpoint serialises the trainer's state now (policy with Adam state, batch counter,
     *     reward curve); passing it back as {@code resumeFrom} continues exactly after this batch.
     *     Valid only during this call.
     */
    void afterBatch(TrainingProgress progress, Supplier<byte[]> checkpoint);
}
