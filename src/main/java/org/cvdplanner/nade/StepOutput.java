package org.cvdplanner.nade;

/**
 * What one {@link NadeRollout#step} returns for a batch of b rows: the Gaussian over Z_{t+1}
 * (mean on the simplex, variance per phase) and the LSTM hidden state h_t after consuming
 * [Z_t, X_t]. The flat arrays are row-major ({@code mean[row * 3 + phase]},
 * {@code hidden[row * 128 + unit]}), fresh for every step and owned by the caller.
 */
public final class StepOutput {

    /** Units of the LSTM hidden state (the agent's state size). */
    public static final int HIDDEN_SIZE = NadeNetworks.HIDDEN;

    private final int batchSize;
    private final float[] mean;
    private final float[] variance;
    private final float[] hidden;

    StepOutput(int batchSize, float[] mean, float[] variance, float[] hidden) {
        this.batchSize = batchSize;
        this.mean = mean;
        this.variance = variance;
        this.hidden = hidden;
    }

    public int batchSize() {
        return batchSize;
    }

    /** Predicted mean of Z_{t+1}, flat [b * 3]: each row in [0, 1] and summing to 1. */
    public float[] meanFlat() {
        return mean;
    }

    /** Predicted variance of each phase of Z_{t+1}, flat [b * 3], all > 0. */
    public float[] varianceFlat() {
        return variance;
    }

    /** LSTM hidden state h_t, flat [b * 128]. */
    public float[] hiddenFlat() {
        return hidden;
    }

    public float mean(int row, int phase) {
        return mean[row * 3 + phase];
    }

    public float variance(int row, int phase) {
        return variance[row * 3 + phase];
    }

    /** Mean as [b][3] (a copy). */
    public float[][] mean() {
        return rows(mean, 3);
    }

    /** Variance as [b][3] (a copy). */
    public float[][] variance() {
        return rows(variance, 3);
    }

    /** Hidden state as [b][128] (a copy). */
    public float[][] hidden() {
        return rows(hidden, HIDDEN_SIZE);
    }

    private float[][] rows(float[] flat, int width) {
        float[][] out = new float[batchSize][width];
        for (int i = 0; i < batchSize; i++) {
            System.arraycopy(flat, i * width, out[i], 0, width);
        }
        return out;
    }
}
