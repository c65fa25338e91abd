package org.cvdplanner.nade;

import java.util.Objects;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Gaussian negative log-likelihood of a phase vector under the NADE-CVD output head, as a DL4J
 * loss on the raw output layer (6 columns per row):
 *
 * <ul>
 *   <li>columns 0..2 are logits; the mean is {@code m = softmax(a)}, so it stays on the simplex;
 *   <li>columns 3..5 give the variance {@code v = softplus(b) + floor} (learned), or, when
 *       {@code fixedVariance > 0}, {@code v = fixedVariance} and columns 3..5 get no gradient.
 * </ul>
 *
 * The score of one row is {@code sum_k 0.5 log(2 pi v_k) + (y_k - m_k)^2 / (2 v_k)} over the three
 * phases (labels carry the target in columns 0..2; extra columns are ignored). Computed in
 * double precision whatever the network's data type. A per-row mask (column vector) multiplies
 * the row's score and gradient. Public only because DL4J's configuration JSON instantiates it by
 * class name; use it through {@link NadeTrainer}.
 */
public final class GaussianNllLoss implements ILossFunction {

    private static final long serialVersionUID = 1L;
    static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

    @JsonProperty("varianceFloor")
    private double varianceFloor;
    @JsonProperty("fixedVariance")
    private double fixedVariance;

    /** For DL4J's JSON deserialisation. */
    public GaussianNllLoss() {
        this(NadeHyperParameters.DEFAULT_VARIANCE_FLOOR, 0);
    }

    /**
     * @param varianceFloor added to the softplus of the variance logits (ignored when the
     *     variance is fixed); must be > 0
     * @param fixedVariance the variance of every phase when > 0; 0 means learned
     */
    public GaussianNllLoss(double varianceFloor, double fixedVariance) {
        if (!(varianceFloor > 0) || !(fixedVariance >= 0)) {
            throw new IllegalArgumentException("varianceFloor must be > 0 and fixedVariance >= 0");
        }
        this.varianceFloor = varianceFloor;
        this.fixedVariance = fixedVariance;
    }

    public double varianceFloor() {
        return varianceFloor;
    }

    public double fixedVariance() {
        return fixedVariance;
    }

    /** Softmax of three logits into {@code out[offset..offset+2]}. */
    static void softmax3(double a0, double a1, double a2, double[] out, int offset) {
        double max = Math.max(a0, Math.max(a1, a2));
        double e0 = Math.exp(a0 - max);
        double e1 = Math.exp(a1 - max);
        double e2 = Math.exp(a2 - max);
        double sum = e0 + e1 + e2;
        out[offset] = e0 / sum;
        out[offset + 1] = e1 / sum;
        out[offset + 2] = e2 / sum;
    }

    /** Numerically stable softplus. */
    static double softplus(double x) {
        return x > 20 ? x : (x < -20 ? Math.exp(x) : Math.log1p(Math.exp(x)));
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    double variance(double logit) {
        return fixedVariance > 0 ? fixedVariance : softplus(logit) + varianceFloor;
    }

    /**
     * Score of every row and, when {@code gradient != null}, dL/d(output) into it (row-major N x 6).
     */
    private double[] rowScores(double[] y, int yWidth, double[] out, double[] mask, double[] gradient) {
        int n = out.length / 6;
        double[] scores = new double[n];
        double[] m = new double[3];
        for (int i = 0; i < n; i++) {
            double w = mask == null ? 1 : mask[i];
            int o = i * 6;
            softmax3(out[o], out[o + 1], out[o + 2], m, 0);
            double score = 0;
            double[] g = new double[3];
            double gm = 0;
            for (int k = 0; k < 3; k++) {
                double v = variance(out[o + 3 + k]);
                double d = m[k] - y[i * yWidth + k];
                score += HALF_LOG_TWO_PI + 0.5 * Math.log(v) + d * d / (2 * v);
                g[k] = d / v;
                gm += g[k] * m[k];
                if (gradient != null) {
                    double dv = fixedVariance > 0 ? 0 : (v - d * d) / (2 * v * v) * sigmoid(out[o + 3 + k]);
                    gradient[i * 6 + 3 + k] = w * dv;
                }
            }
            if (gradient != null) {
                for (int k = 0; k < 3; k++) {
                    gradient[i * 6 + k] = w * m[k] * (g[k] - gm);
                }
            }
            scores[i] = w * score;
        }
        return scores;
    }

    private static double[] maskColumn(INDArray mask, long rows) {
        if (mask == null) {
            return null;
        }
        if (mask.length() != rows) {
            throw new IllegalArgumentException("GaussianNllLoss supports per-row masks only, got shape "
                    + java.util.Arrays.toString(mask.shape()));
        }
        return flat(mask);
    }

    /** Row-major values of a matrix as doubles: one copy, no per-row calls. */
    private static double[] flat(INDArray a) {
        return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    private static void checkShapes(INDArray labels, INDArray preOutput) {
        if (preOutput.rank() != 2 || preOutput.columns() != 6 || labels.rank() != 2 || labels.columns() < 3
                || labels.rows() != preOutput.rows()) {
            throw new IllegalArgumentException("expected preOutput [N,6] and labels [N,>=3], got "
                    + java.util.Arrays.toString(preOutput.shape()) + " and " + java.util.Arrays.toString(labels.shape()));
        }
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        checkShapes(labels, preOutput);
        INDArray out = activationFn.getActivation(preOutput.dup(), true);
        double[] scores = rowScores(flat(labels), (int) labels.columns(), flat(out), maskColumn(mask, out.rows()), null);
        return Nd4j.create(scores, new long[] {scores.length, 1}, DataType.DOUBLE).castTo(preOutput.dataType());
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
            boolean average) {
        checkShapes(labels, preOutput);
        INDArray out = activationFn.getActivation(preOutput.dup(), true);
        double[] scores = rowScores(flat(labels), (int) labels.columns(), flat(out), maskColumn(mask, out.rows()), null);
        double sum = 0;
        for (double s : scores) {
            sum += s;
        }
        return average ? sum / scores.length : sum;
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return computeGradientAndScore(labels, preOutput, activationFn, mask, false).getSecond();
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
            IActivation activationFn, INDArray mask, boolean average) {
        checkShapes(labels, preOutput);
        INDArray out = activationFn.getActivation(preOutput.dup(), true);
        int n = (int) out.rows();
        double[] dOut = new double[n * 6];
        double[] scores = rowScores(flat(labels), (int) labels.columns(), flat(out), maskColumn(mask, n), dOut);
        double sum = 0;
        for (double s : scores) {
            sum += s;
        }
        INDArray dLdOut = Nd4j.create(dOut, new long[] {n, 6}, DataType.DOUBLE).castTo(preOutput.dataType());
        INDArray dLdPre = activationFn.backprop(preOutput.dup(), dLdOut).getFirst();
        return new Pair<>(average ? sum / n : sum, dLdPre);
    }

    @Override
    public String name() {
        return toString();
    }

    @Override
    public String toString() {
        return "GaussianNllLoss(varianceFloor=" + varianceFloor + ", fixedVariance=" + fixedVariance + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GaussianNllLoss other && other.varianceFloor == varianceFloor
                && other.fixedVariance == fixedVariance;
    }

    @Override
    public int hashCode() {
        return Objects.hash(varianceFloor, fixedVariance);
    }
}
