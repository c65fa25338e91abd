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
 * Smooth-L1 (Huber with β = 1) loss of the value head against the returns, times a weight:
 * {@code weight · (½d² if |d| < 1 else |d| − ½)} with d = V − G, summed over the columns.
 * DL4J 1.0.0-M2.1 ships no Huber loss. Public only because DL4J's configuration JSON
 * instantiates it by class name.
 */
public final class SmoothL1Loss implements ILossFunction {

    private static final long serialVersionUID = 1L;

    @JsonProperty("weight")
    private double weight;

    /** For DL4J's JSON deserialisation. */
    public SmoothL1Loss() {
        this(1.0);
    }

    public SmoothL1Loss(double weight) {
        if (!(weight > 0) || !Double.isFinite(weight)) {
            throw new IllegalArgumentException("weight must be finite and > 0: " + weight);
        }
        this.weight = weight;
    }

    public double weight() {
        return weight;
    }

    private double[] rowScores(double[] labels, double[] out, int k, double[] mask, double[] gradient) {
        int n = out.length / k;
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            double w = weight * (mask == null ? 1 : mask[i]);
            double sum = 0;
            for (int j = 0; j < k; j++) {
                double d = out[i * k + j] - labels[i * k + j];
                double abs = Math.abs(d);
                sum += abs < 1 ? 0.5 * d * d : abs - 0.5;
                if (gradient != null) {
                    gradient[i * k + j] = w * (abs < 1 ? d : Math.signum(d));
                }
            }
            scores[i] = w * sum;
        }
        return scores;
    }

    private static void checkShapes(INDArray labels, INDArray preOutput) {
        if (preOutput.rank() != 2 || !Arrays.equals(labels.shape(), preOutput.shape())) {
            throw new IllegalArgumentException("expected labels and preOutput of the same [N,k] shape, got "
                    + Arrays.toString(labels.shape()) + " and " + Arrays.toString(preOutput.shape()));
        }
    }

    private double[] scores(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        checkShapes(labels, preOutput);
        INDArray out = activationFn.getActivation(preOutput.dup(), true);
        return rowScores(PolicyGradientLoss.flat(labels), PolicyGradientLoss.flat(out), (int) out.columns(),
                PolicyGradientLoss.maskColumn(mask, out.rows()), null);
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
        double[] s = rowScores(PolicyGradientLoss.flat(labels), PolicyGradientLoss.flat(out), k,
                PolicyGradientLoss.maskColumn(mask, n), dOut);
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
        return "SmoothL1Loss(weight=" + weight + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SmoothL1Loss other && other.weight == weight;
    }

    @Override
    public int hashCode() {
        return Objects.hash(weight);
    }
}
