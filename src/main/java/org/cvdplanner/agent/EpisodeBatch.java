package org.cvdplanner.agent;

/**
 * The record of a batch of episodes, as flat row-major arrays. With n steps and T = n − 2
 * actions per episode: states[(r·T + t)·128 + j] = s_t, actions[(r·T + t)·4 + c] = a_t,
 * values[r·T + t] = V(s_t), rewards[r·T + t] = the reward of a_t (read from Z_{t+2});
 * schedules[(r·n + t)·4 + c] = X_t, phases[(r·n + t)·3 + k] = the Z_t that was fed back
 * (sampled or mean), predicted[(r·n + t)·3 + k] = the NADE mean of Z_t given the history
 * (row 0 is Z_0). {@code states} is null when the caller did not ask for them.
 */
final class EpisodeBatch {

    final int rows;
    final int actions;
    final int steps;
    final float[] states;
    final float[] actionsTaken;
    final float[] values;
    final float[] rewards;
    final double[] schedules;
    final float[] phases;
    final float[] predicted;

    EpisodeBatch(int rows, int steps, boolean keepStates) {
        this.rows = rows;
        this.steps = steps;
        this.actions = steps - 2;
        states = keepStates ? new float[rows * actions * PolicyNetworks.STATE] : null;
        actionsTaken = new float[rows * actions * PolicyNetworks.ACTIONS];
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
