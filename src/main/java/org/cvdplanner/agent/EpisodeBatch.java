package org.cvdplanner.agent;

/**
 * The record of a batch of episodes, as flat row-major arrays. With n steps and T = n − 2
 * actions per episode: features[(r·T + t)·F + j] = the policy's input at s_t (see
 * {@link PolicyNet}), actions[(r·T + t)·4 + c] = the applied target a_t ∈ [−1, 1],
 * initialActions[r·4 + c] = the applied X_0 target (when X_0 is learned),
 * values[r·T + t] = V(s_t), rewards[r·T + t] = the reward of a_t (read from Z_{t+2});
 * schedules[(r·n + t)·4 + c] = X_t, phases[(r·n + t)·3 + k] = the Z_t that was fed back
 * (sampled or mean), predicted[(r·n + t)·3 + k] = the NADE mean of Z_t given the history
 * (row 0 is Z_0). {@code features} is null when the caller did not ask for them.
 */
final class EpisodeBatch {

    final int rows;
    final int actions;
    final int steps;
    final float[] features;
    final float[] actionsTaken;
    final float[] initialActions;
    /** The policy's forward pass per row (a1, a2, o), kept with the features for the update. */
    final PolicyNet.Activations activations;
    final float[] values;
    final float[] rewards;
    final double[] schedules;
    final float[] phases;
    final float[] predicted;

    EpisodeBatch(int rows, int steps, boolean keepStates) {
        this.rows = rows;
        this.steps = steps;
        this.actions = steps - 2;
        features = keepStates ? new float[rows * actions * PolicyNet.FEATURES] : null;
        actionsTaken = new float[rows * actions * PolicyNet.A];
        initialActions = new float[rows * PolicyNet.A];
        activations = keepStates ? new PolicyNet.Activations(rows * actions, new float[rows * actions * PolicyNet.H1],
                new float[rows * actions * PolicyNet.H2], new float[rows * actions * PolicyNet.OUT]) : null;
        values = new float[rows * actions];
        rewards = new float[rows * actions];
        schedules = new double[rows * steps * 4];
        phases = new float[rows * steps * 3];
        predicted = new float[rows * steps * 3];
    }

    /** Undiscounted return of episode r. */
    double episodeReturn(int r) {
        double sum = 0;
        for (int t = 0; t < actions; t++) {
            sum += rewards[r * actions + t];
        }
        return sum;
    }

    /** The predicted (NADE-mean) phase k of Z_t in episode r. */
    float predicted(int r, int t, int k) {
        return predicted[(r * steps + t) * 3 + k];
    }
}
