package org.cvdplanner.simulation;

import java.util.ArrayList;
import java.util.List;

import org.cvdplanner.synthesis.ConditionBounds;
import org.cvdplanner.synthesis.ConditionVector;
import org.cvdplanner.synthesis.Schedule;

/**
 * The reference work's schedule generator: X_0 uniform within the bounds, then each step
 * X_{t+1} = clip(X_t + N(0, diag(std²))). Seeded; same seed ⇒ same schedule on any JVM.
 *
 * @param bounds where the walk starts and what it is clipped to
 * @param stepStd standard deviation of each component's Gaussian step
 * @param steps schedule length
 */
public record RandomWalkScheduleGenerator(ConditionBounds bounds, ConditionVector stepStd, int steps) {

    /** The paper's generator: PAPER bounds, std (250 K, 20, 20, 20), 20 steps. */
    public static final RandomWalkScheduleGenerator PAPER = new RandomWalkScheduleGenerator(
            ConditionBounds.PAPER, new ConditionVector(250, 20, 20, 20), 20);

    public RandomWalkScheduleGenerator {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1: " + steps);
        }
        for (int c = 0; c < ConditionVector.SIZE; c++) {
            if (!(stepStd.get(c) >= 0) || !Double.isFinite(stepStd.get(c))) {
                throw new IllegalArgumentException("step std must be finite and >= 0");
            }
            if (!(bounds.min(c) <= bounds.max(c))) {
                throw new IllegalArgumentException("bounds min must not exceed max");
            }
        }
    }

    public RandomWalkScheduleGenerator withSteps(int newSteps) {
        return new RandomWalkScheduleGenerator(bounds, stepStd, newSteps);
    }

    public Schedule generate(long seed) {
        double[] x = new double[steps * ConditionVector.SIZE];
        generateInto(seed, x, 0);
        List<ConditionVector> vectors = new ArrayList<>(steps);
        for (int t = 0; t < steps; t++) {
            int o = t * ConditionVector.SIZE;
            vectors.add(new ConditionVector(x[o], x[o + 1], x[o + 2], x[o + 3]));
        }
        return new Schedule(vectors);
    }

    /** Writes the schedule of {@code seed} as {@code out[offset + t * 4 + c]}. */
    void generateInto(long seed, double[] out, int offset) {
        Xoroshiro128PlusPlus random = new Xoroshiro128PlusPlus(seed);
        for (int c = 0; c < ConditionVector.SIZE; c++) {
            out[offset + c] = bounds.min(c) + random.nextDouble() * (bounds.max(c) - bounds.min(c));
        }
        for (int t = 1; t < steps; t++) {
            int o = offset + t * ConditionVector.SIZE;
            for (int c = 0; c < ConditionVector.SIZE; c++) {
                out[o + c] = bounds.clip(c, out[o - ConditionVector.SIZE + c] + stepStd.get(c) * random.nextGaussian());
            }
        }
    }
}
