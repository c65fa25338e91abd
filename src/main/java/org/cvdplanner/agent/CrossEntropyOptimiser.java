package org.cvdplanner.agent;

import org.cvdplanner.simulation.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The cross-entropy method on the schedule itself: a diagonal Gaussian over all n × 4 condition
 * values (in units of the bounds' ranges), sampled, projected onto the furnace limits
 * ({@link FurnaceLimits}; X_0 fixed when the agent has one), scored by one stochastic NADE
 * rollout each with the agent's reward, and refitted to the elite fraction. The budget is counted
 * in NADE episodes, the agent's currency.
 *
 * @param population schedules per iteration
 * @param eliteFraction share of the population the distribution is refitted to
 * @param initialStd starting standard deviation, in units of each condition's range
 * @param minStd floor of the standard deviation (keeps exploring)
 */
public record CrossEntropyOptimiser(int population, double eliteFraction, double initialStd, double minStd) {

    /** Scored schedules of the last iteration kept as candidates (besides the final mean). */
    static final int CANDIDATES = 7;

    public static final CrossEntropyOptimiser DEFAULT = new CrossEntropyOptimiser(250, 0.1, 0.3, 0.02);

    public CrossEntropyOptimiser {
        if (population < 2 || !(eliteFraction > 0 && eliteFraction < 1) || !(initialStd > 0) || !(minStd >= 0)) {
            throw new IllegalArgumentException("invalid cross-entropy settings");
        }
    }

    /**
     * The optimised schedule (steps × 4 flat), the best scored schedules of the last iteration
     * (candidates, best first) and how many NADE episodes it cost.
     */
    record Result(double[] schedule, List<double[]> candidates, long episodes, int iterations, double lastEliteMean) {
    }

    Result optimise(EpisodeRunner runner, AgentHyperParameters hp, long budgetEpisodes, long seed) {
        return optimise(runner, hp, budgetEpisodes, seed, null, initialStd);
    }

    /**
     * @param start a schedule (steps × 4 flat) to centre the first distribution on, or null for
     *     mid-range (used to refine an agent's schedule)
     * @param startStd the first distribution's standard deviation in units of each range
     */
    Result optimise(EpisodeRunner runner, AgentHyperParameters hp, long budgetEpisodes, long seed, double[] start,
            double startStd) {
        int n = hp.steps();
        int dims = n * 4;
        double[] mu = new double[dims];
        double[] sd = new double[dims];
        Arrays.fill(mu, 0.5);
        if (start != null) {
            for (int d = 0; d < dims; d++) {
                mu[d] = toUnit(hp, d % 4, start[d]);
            }
        }
        Arrays.fill(sd, startStd);
        FurnaceLimits limits = new FurnaceLimits(hp);
        List<double[]> candidates = new ArrayList<>();
        int iterations = (int) Math.max(1, budgetEpisodes / population);
        int elites = Math.max(2, (int) Math.round(population * eliteFraction));
        SplittableRandom rng = new SplittableRandom(seed);
        double[] units = new double[population * dims];
        double[] schedules = new double[population * dims];
        double eliteMean = Double.NaN;
        for (int it = 0; it < iterations; it++) {
            for (int p = 0; p < population; p++) {
                for (int d = 0; d < dims; d++) {
                    units[p * dims + d] = mu[d] + sd[d] * rng.nextGaussian();
                }
                project(hp, limits, units, p * dims, schedules);
            }
            double[] scores = runner.evaluate(schedules, population, hp.sampleEnvironment(),
                    Seeds.derive(seed, it + 1));
            Integer[] order = new Integer[population];
            for (int p = 0; p < population; p++) {
                order[p] = p;
            }
            Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
            if (it == iterations - 1) {
                for (int e = 0; e < Math.min(elites, CANDIDATES); e++) {
                    candidates.add(Arrays.copyOfRange(schedules, order[e] * dims, (order[e] + 1) * dims));
                }
            }
            eliteMean = 0;
            Arrays.fill(mu, 0);
            for (int e = 0; e < elites; e++) {
                int p = order[e];
                eliteMean += scores[p];
                // refit to the projected schedule (what was actually scored), in units
                for (int d = 0; d < dims; d++) {
                    mu[d] += toUnit(hp, d % 4, schedules[p * dims + d]);
                }
            }
            eliteMean /= elites;
            for (int d = 0; d < dims; d++) {
                mu[d] /= elites;
            }
            Arrays.fill(sd, 0);
            for (int e = 0; e < elites; e++) {
                int p = order[e];
                for (int d = 0; d < dims; d++) {
                    double v = toUnit(hp, d % 4, schedules[p * dims + d]) - mu[d];
                    sd[d] += v * v;
                }
            }
            for (int d = 0; d < dims; d++) {
                sd[d] = Math.max(minStd, Math.sqrt(sd[d] / elites));
            }
        }
        double[] best = new double[dims];
        project(hp, limits, mu, 0, best);
        candidates.add(0, best);
        return new Result(best, candidates, (long) iterations * population, iterations, eliteMean);
    }

    private static double toUnit(AgentHyperParameters hp, int c, double value) {
        return (value - hp.bounds().min(c)) / (hp.bounds().max(c) - hp.bounds().min(c));
    }

    /** Units → conditions: the furnace limits applied step by step (bounds, change, fixed gases, hold). */
    static void project(AgentHyperParameters hp, FurnaceLimits limits, double[] units, int offset, double[] out) {
        int n = hp.steps();
        double[] values = new double[n * 4];
        for (int i = 0; i < n * 4; i++) {
            int c = i % 4;
            values[i] = hp.bounds().min(c) + units[offset + i] * (hp.bounds().max(c) - hp.bounds().min(c));
        }
        limits.project(values, 0, n, out, offset);
    }
}
