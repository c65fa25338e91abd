package org.cvdplanner.agent;

import java.util.Arrays;
import java.util.Objects;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The REINFORCE surrogate loss of a Gaussian policy with fixed standard deviation σ, as a DL4J
 * loss on the action-mean output μ (k columns):
 *
 * <pre>  L(row) = A · Σ_j (a_j − μ_j)² / (2σ²)   =  −A · log π(a | s) + const</pre>
 *
 * The labels carry, per row, the action actually taken a (k columns) followed by its advantage A
 * (one column), so the labels are one column wider than the output. Minimising L raises the
 * log-probability of actions with a positive advantage and lowers it for negative ones. The
 * advantage is a constant here (no gradient flows into the baseline through this loss).
 * Computed in double precision. A per-row mask multiplies the row's score and gradient. Public
 * only because DL4J's configuration JSON instantiates it by class name.
 */
public final class PolicyGradientLoss implements ILossFunction {

    private static final long serialVersionUID = 1L;

    @JsonProperty("sigma")
    private double sigma;

    /** For DL4J's JSON deserialisation. */
    public PolicyGradientLoss() {
        this(1.0);
    }

    public PolicyGradientLoss(double sigma) {
        if (!(sigma > 0) || !Double.isFinite(sigma)) {
            throw new IllegalArgumentException("sigma must be finite and > 0: " + sigma);
        }
        this.sigma = sigma;
    }

    public double sigma() {
        return sigma;
    }

    /** Scores and (when {@code gradient != null}) dL/dμ of every row; out is row-major N x k. */
    private double[] rowScores(double[] labels, double[] out, int k, double[] mask, double[] gradient) {
        int n = out.length / k;
        double inverseVariance = 1.0 / (sigma * sigma);
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            double w = mask == null ? 1 : mask[i];
            int l = i * (k + 1);
            double advantage = labels[l + k];
            double sum = 0;
            for (int j = 0; j < k; j++) {
                double d = labels[l + j] - out[i * k + j];
                sum += d * d;
                if (gradient != null) {
                    gradient[i * k + j] = -w * advantage * d * inverseVariance;
                }
            }
            scores[i] = w * advantage * 0.5 * sum * inverseVariance;
        }
        return scores;
    }

    private static void checkShapes(INDArray labels, INDArray preOutput) {
        if (preOutput.rank() != 2 || labels.rank() != 2 || labels.columns() != preOutput.columns() + 1
                || labels.rows() != preOutput.rows()) {
            throw new IllegalArgumentException("expected preOutput [N,k] and labels [N,k+1] (action, advantage), got "
                    + Arrays.toString(preOutput.shape()) + " and " + Arrays.toString(labels.shape()));
        }
    }

    static double[] maskColumn(INDArray mask, long rows) {
        if (mask == null) {
            return null;
        }
        if (mask.length() != rows) {
            throw new IllegalArgumentException("only per-row masks are supported, got shape "
                    + Arrays.toString(mask.shape()));
        }
        return flat(mask);
    }

    static double[] flat(INDArray a) {
        return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    private double[] scores(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        checkShapes(labels, preOutput);
        INDArray out = activationFn.getActivation(preOutput.dup(), true);
        return rowScores(flat(labels), flat(out), (int) out.columns(), maskColumn(mask, out.rows()), null);
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        double[] s = scores(labels, preOutput, activationFn, mask);
        return Nd4j.create(s, new long[] {s.length, 1}, DataType.DOUBLE).castTo(preOutput.dataType());
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
            boolean average) {
        double[] s = scores(labels, preOutput, activationFn, mask);
        double sum = Arrays.stream(s).sum();
        return average ? sum / s.length : sum;
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
        int k = (int) out.columns();
        double[] dOut = new double[n * k];
        double[] s = rowScores(flat(labels), flat(out), k, maskColumn(mask, n), dOut);
        double sum = Arrays.stream(s).sum();
        INDArray dLdOut = Nd4j.create(dOut, new long[] {n, k}, DataType.DOUBLE).castTo(preOutput.dataType());
        INDArray dLdPre = activationFn.backprop(preOutput.dup(), dLdOut).getFirst();
        return new Pair<>(average ? sum / n : sum, dLdPre);
    }

    @Override
    public String name() {
        return toString();
    }

    @Override
    public String toString() {
        return "PolicyGradientLoss(sigma=" + sigma + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PolicyGradientLoss other && other.sigma == sigma;
    }

    @Override
    public int hashCode() {
        return Objects.hash(sigma);
    }
}
