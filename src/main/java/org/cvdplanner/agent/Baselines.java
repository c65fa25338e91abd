package org.cvdplanner.agent;

import org.cvdplanner.simulation.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.cvdplanner.nade.NadeModel;
import org.cvdplanner.simulation.CvdSimulator;
import org.cvdplanner.simulation.ReplicaSummary;
import org.cvdplanner.simulation.SimulatedRun;
import org.cvdplanner.synthesis.ConditionVector;
import org.cvdplanner.synthesis.Schedule;

/**
 * Runs the comparison of {@link BaselineReport} for a trained agent, at equal NADE-episode
 * budgets: with B the agent's training episodes and R = {@code refineFraction} × B, the agent
 * gets B + R (training, then CEM refinement from its best schedule), CEM from scratch B + R, and
 * random walks B + R walks scored once each. Each method hands in its best candidates (the
 * agent: deterministic proposals and training elites; CEM: its final mean and the best of its
 * last population; random walks: the best by their single score); all are forecast with the same
 * rollouts and seed, and the best schedule's method wins.
 *
 * @param randomWalks random-walk schedules behind the random-walk mean (the paper's baseline)
 * @param agentProposals deterministic agent proposals behind the agent's mean
 * @param rollouts NADE Monte-Carlo rollouts per schedule
 * @param simulatorReplicas simulator replicas of each method's best schedule; 0 = no simulator
 * @param crossEntropy the cross-entropy method's settings
 * @param threads threads for rollouts and simulations
 * @param refineFraction R / B (0 = no refinement)
 * @param robustJitter setpoint error, as a fraction of each range, behind a robust objective that
 *     then picks the winner; 0 (the default) picks by the nominal forecast: with 0.02 no winner
 *     validated better on the simulator, and the winner could fall below CEM's nominal forecast
 */
public record Baselines(int randomWalks, int agentProposals, int rollouts, int simulatorReplicas,
        CrossEntropyOptimiser crossEntropy, int threads, double refineFraction, double robustJitter) {

    /** The random walk's step std of the reference work (K, molecules, molecules, molecules). */
    static final ConditionVector RANDOM_WALK_STD = new ConditionVector(250, 20, 20, 20);
    /** Candidates per method that are re-scored by forecast. */
    static final int CANDIDATES = 8;
    /** Rollouts of the final scoring of every method's candidates. */
    static final int FINAL_ROLLOUTS = 64;
    /** Rollouts of the paired test against CEM, and the standard errors a challenger must clear. */
    static final int PAIRED_ROLLOUTS = 256;
    static final double SIGNIFICANCE = 2.0;
    /** Jittered copies behind a robust objective. */
    static final int JITTERS = 16;

    public Baselines {
        if (randomWalks < 1 || agentProposals < 1 || rollouts < 1 || simulatorReplicas < 0 || threads < 1
                || !(refineFraction >= 0 && refineFraction <= 10) || !(robustJitter >= 0 && robustJitter <= 0.5)) {
            throw new IllegalArgumentException("invalid baseline settings");
        }
    }

    public Baselines(int randomWalks, int agentProposals, int rollouts, int simulatorReplicas,
            CrossEntropyOptimiser crossEntropy, int threads) {
        this(randomWalks, agentProposals, rollouts, simulatorReplicas, crossEntropy, threads, 0.5, 0);
    }

    public Baselines(int randomWalks, int agentProposals, int rollouts, int simulatorReplicas,
            CrossEntropyOptimiser crossEntropy, int threads, double refineFraction) {
        this(randomWalks, agentProposals, rollouts, simulatorReplicas, crossEntropy, threads, refineFraction, 0);
    }

    /** 1,000 random walks, 256 agent proposals, 16 rollouts, 16 simulator replicas, CEM 250, refinement 0.5 B, nominal choice. */
    public static Baselines defaults(int threads) {
        return new Baselines(1000, 256, 16, 16, CrossEntropyOptimiser.DEFAULT, threads, 0.5, 0);
    }

    /** Compares the agent with random walks and CEM at equal NADE-episode budgets. */
    public BaselineReport compare(Agent agent, NadeModel nade, long seed) {
        agent.requireTrainedOn(nade);
        AgentHyperParameters hp = agent.hyperParameters();
        RewardFunction reward = RewardFunction.of(hp);
        long trained = agent.provenance().episodes();
        long refine = Math.round(refineFraction * trained);
        long total = trained + refine;
        int n = hp.steps();

        // the agent alone: deterministic proposals (the policy's quality) plus its training elites
        List<Schedule> agentSchedules = agent.schedules(nade,
                new ProposalSettings(agentProposals, null, ProposalMode.DETERMINISTIC, Seeds.derive(seed, 1), 1),
                threads);
        List<ProposedSchedule> agentForecasts = ScheduleForecasts.forecast(nade, reward, agentSchedules, rollouts,
                Seeds.derive(seed, 2));
        List<Schedule> agentCandidates = top(agentSchedules, agentForecasts, CANDIDATES / 2);
        for (double[] elite : agent.elites()) {
            agentCandidates.add(ScheduleForecasts.schedule(elite, 0, n));
        }
        List<Schedule> refinedCandidates;
        List<Schedule> cemCandidates;
        List<Schedule> randomCandidates;
        List<Schedule> walks;
        long cemEpisodes;
        long refinedEpisodes;
        try (EpisodeRunner runner = new EpisodeRunner(nade, hp, threads)) {
            Schedule agentBest = bestOf(nade, reward, agentCandidates, Seeds.derive(seed, 3));
            refinedCandidates = new ArrayList<>(List.of(agentBest));
            refinedEpisodes = trained;
            if (refine > 0) {
                CrossEntropyOptimiser.Result refined = crossEntropy.optimise(runner, hp, refine,
                        Seeds.derive(seed, 4), agentBest.conditionsFlat(), 0.1);
                refinedCandidates.addAll(ScheduleForecasts.schedules(flat(refined.candidates(), n),
                        refined.candidates().size(), n));
                refinedEpisodes += refined.episodes();
            }
            CrossEntropyOptimiser.Result cem = crossEntropy.optimise(runner, hp, total, Seeds.derive(seed, 5));
            cemEpisodes = cem.episodes();
            cemCandidates = ScheduleForecasts.schedules(flat(cem.candidates(), n), cem.candidates().size(), n);
            int walkCount = (int) Math.max(randomWalks, Math.min(total, 1_000_000));
            walks = randomWalks(hp, walkCount, Seeds.derive(seed, 6));
            double[] flatWalks = new double[walkCount * n * 4];
            for (int i = 0; i < walkCount; i++) {
                System.arraycopy(walks.get(i).conditionsFlat(), 0, flatWalks, i * n * 4, n * 4);
            }
            double[] scores = runner.evaluate(flatWalks, walkCount, hp.sampleEnvironment(), Seeds.derive(seed, 7));
            Integer[] order = new Integer[walkCount];
            for (int i = 0; i < walkCount; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
            randomCandidates = new ArrayList<>();
            for (int i = 0; i < Math.min(CANDIDATES, walkCount); i++) {
                randomCandidates.add(walks.get(order[i]));
            }
        }
        // every method's candidates scored with the same rollouts and seed (common random numbers)
        long finalSeed = Seeds.derive(seed, 8);
        MethodResult agentResult = evaluate("agent", agentForecasts, agentSchedules, agentCandidates, trained, nade,
                reward, finalSeed, Seeds.derive(seed, 9));
        MethodResult refinedResult = evaluate("agent+cross-entropy", null, null, refinedCandidates, refinedEpisodes,
                nade, reward, finalSeed, Seeds.derive(seed, 10));
        MethodResult cemResult = evaluate("cross-entropy", null, null, cemCandidates, cemEpisodes, nade, reward,
                finalSeed, Seeds.derive(seed, 11));
        List<Schedule> meanWalks = walks.subList(0, Math.min(randomWalks, walks.size()));
        List<ProposedSchedule> walkForecasts = ScheduleForecasts.forecast(nade, reward, meanWalks, rollouts,
                Seeds.derive(seed, 12));
        MethodResult randomResult = evaluate("random-walk", walkForecasts, meanWalks, randomCandidates, walks.size(),
                nade, reward, finalSeed, Seeds.derive(seed, 13));
        if (robustJitter > 0) {
            long jitterSeed = Seeds.derive(seed, 14);
            agentResult = agentResult.withRobustObjective(robust(hp, nade, reward, agentResult.bestSchedule(), jitterSeed));
            refinedResult = refinedResult.withRobustObjective(robust(hp, nade, reward, refinedResult.bestSchedule(),
                    jitterSeed));
            cemResult = cemResult.withRobustObjective(robust(hp, nade, reward, cemResult.bestSchedule(), jitterSeed));
            randomResult = randomResult.withRobustObjective(robust(hp, nade, reward, randomResult.bestSchedule(),
                    jitterSeed));
        }
        List<MethodResult> all = List.of(agentResult, refinedResult, cemResult, randomResult);
        MethodResult winner = agentResult;
        for (MethodResult m : all) {
            if (m.selectionObjective() > winner.selectionObjective()) {
                winner = m;
            }
        }
        List<String> warnings = new ArrayList<>();
        if (winner != cemResult) {
            // CEM is the incumbent: another method replaces it only when significantly better on the
            // model (a paired test on common random numbers), since a margin inside the noise is more
            // likely the method exploiting the model's error than a better schedule
            double[] d = pairedDifference(hp, nade, winner.bestSchedule(), cemResult.bestSchedule(),
                    Seeds.derive(seed, 15));
            if (d[0] < SIGNIFICANCE * d[1]) {
                warnings.add(String.format(java.util.Locale.ROOT, "%s was ahead of cross-entropy by %.4f ± %.4f"
                        + " (paired, %d rollouts), not significantly: proposals use the cross-entropy schedule",
                        winner.method(), d[0], d[1], PAIRED_ROLLOUTS));
                winner = cemResult;
            }
        }
        double runnerUp = Double.NEGATIVE_INFINITY;
        for (MethodResult m : all) {
            if (m != winner) {
                runnerUp = Math.max(runnerUp, m.selectionObjective());
            }
        }
        double ratio = agentResult.nadeBestObjective() / Math.max(1e-12, randomResult.nadeMeanObjective());
        if (agentResult.nadeBestObjective() < randomResult.nadeMeanObjective()
                || agentResult.nadeMeanObjective() < randomResult.nadeMeanObjective()) {
            warnings.add(String.format(java.util.Locale.ROOT, "the agent loses to random walks: its mean objective"
                    + " %.4f and best %.4f vs the random-walk mean %.4f; proposals use the %s schedule",
                    agentResult.nadeMeanObjective(), agentResult.nadeBestObjective(), randomResult.nadeMeanObjective(),
                    winner.method()));
        }
        if (agentResult.nadeBestObjective() < cemResult.nadeBestObjective()) {
            warnings.add(String.format(java.util.Locale.ROOT, "the agent's own best schedule (%.4f) is below CEM's"
                    + " (%.4f) at equal episodes; proposals use the %s schedule", agentResult.nadeBestObjective(),
                    cemResult.nadeBestObjective(), winner.method()));
        }
        return new BaselineReport(hp.objective(), FINAL_ROLLOUTS, seed, agentResult, refinedResult, cemResult,
                randomResult, winner.method(), winner.selectionObjective() - runnerUp, ratio, warnings);
    }

    /**
     * The mean forecast objective of {@link #JITTERS} copies of a schedule with every condition
     * moved by N(0, (robustJitter × range)²) and projected back onto the furnace limits (the same
     * jitters and rollout seed for every method): a schedule on a narrow ridge of the model scores
     * lower than one in a broad optimum, which also tends to survive the model's own error.
     */
    private double robust(AgentHyperParameters hp, NadeModel nade, RewardFunction reward, Schedule schedule, long seed) {
        int n = hp.steps();
        double[] x = schedule.conditionsFlat();
        FurnaceLimits limits = new FurnaceLimits(hp);
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        List<Schedule> copies = new ArrayList<>();
        copies.add(schedule);
        for (int j = 1; j < JITTERS; j++) {
            double[] moved = new double[n * 4];
            for (int i = 0; i < n * 4; i++) {
                int c = i % 4;
                moved[i] = x[i] + robustJitter * (hp.bounds().max(c) - hp.bounds().min(c)) * rng.nextGaussian();
            }
            double[] projected = new double[n * 4];
            limits.project(moved, 0, n, projected, 0);
            copies.add(ScheduleForecasts.schedule(projected, 0, n));
        }
        double sum = 0;
        for (ProposedSchedule f : ScheduleForecasts.forecast(nade, reward, copies, FINAL_ROLLOUTS / 4,
                Seeds.derive(seed, 1))) {
            sum += f.objectiveValue();
        }
        return sum / copies.size();
    }

    /**
     * Mean and standard error of objective(a) − objective(b) over {@link #PAIRED_ROLLOUTS}
     * stochastic rollouts, rollout i of both schedules drawing the same random numbers.
     */
    private double[] pairedDifference(AgentHyperParameters hp, NadeModel nade, Schedule a, Schedule b, long seed) {
        int n = hp.steps();
        double[] xa = new double[PAIRED_ROLLOUTS * n * 4];
        double[] xb = new double[PAIRED_ROLLOUTS * n * 4];
        double[] fa = a.conditionsFlat();
        double[] fb = b.conditionsFlat();
        for (int i = 0; i < PAIRED_ROLLOUTS; i++) {
            System.arraycopy(fa, 0, xa, i * n * 4, n * 4);
            System.arraycopy(fb, 0, xb, i * n * 4, n * 4);
        }
        double[] va;
        double[] vb;
        try (EpisodeRunner runner = new EpisodeRunner(nade, hp, threads)) {
            va = runner.evaluate(xa, PAIRED_ROLLOUTS, true, seed);
            vb = runner.evaluate(xb, PAIRED_ROLLOUTS, true, seed);
        }
        double mean = 0;
        for (int i = 0; i < PAIRED_ROLLOUTS; i++) {
            mean += va[i] - vb[i];
        }
        mean /= PAIRED_ROLLOUTS;
        double ss = 0;
        for (int i = 0; i < PAIRED_ROLLOUTS; i++) {
            double d = va[i] - vb[i] - mean;
            ss += d * d;
        }
        return new double[] {mean, Math.sqrt(ss / (PAIRED_ROLLOUTS - 1) / PAIRED_ROLLOUTS)};
    }

    private static double[] flat(List<double[]> schedules, int n) {
        double[] out = new double[schedules.size() * n * 4];
        for (int i = 0; i < schedules.size(); i++) {
            System.arraycopy(schedules.get(i), 0, out, i * n * 4, n * 4);
        }
        return out;
    }

    private static List<Schedule> top(List<Schedule> schedules, List<ProposedSchedule> forecasts, int k) {
        Integer[] order = new Integer[schedules.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(forecasts.get(b).objectiveValue(),
                forecasts.get(a).objectiveValue()));
        List<Schedule> out = new ArrayList<>();
        for (int i = 0; i < Math.min(k, order.length); i++) {
            out.add(schedules.get(order[i]));
        }
        return out;
    }

    private Schedule bestOf(NadeModel nade, RewardFunction reward, List<Schedule> candidates, long seed) {
        List<ProposedSchedule> f = ScheduleForecasts.forecast(nade, reward, candidates, FINAL_ROLLOUTS, seed);
        return top(candidates, f, 1).get(0);
    }

    /** Random walks as the reference work drew them, limited to the agent's constraints. */
    static List<Schedule> randomWalks(AgentHyperParameters hp, int count, long seed) {
        List<Schedule> out = new ArrayList<>(count);
        FurnaceLimits limits = new FurnaceLimits(hp);
        for (int i = 0; i < count; i++) {
            SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, i));
            double[] x = new double[hp.steps() * 4];
            int held = 1;
            for (int c = 0; c < 4; c++) {
                x[c] = hp.initialConditions() != null ? hp.initialConditions().get(c)
                        : limits.initial(c, hp.bounds().min(c) + rng.nextDouble() * (hp.bounds().max(c) - hp.bounds().min(c)));
            }
            for (int t = 1; t < hp.steps(); t++) {
                for (int c = 0; c < 4; c++) {
                    double previous = x[(t - 1) * 4 + c];
                    x[t * 4 + c] = limits.next(c, previous, previous + RANDOM_WALK_STD.get(c) * rng.nextGaussian(), held);
                }
                held = FurnaceLimits.held(held, x[(t - 1) * 4], x[t * 4]);
            }
            out.add(ScheduleForecasts.schedule(x, 0, hp.steps()));
        }
        return out;
    }

    /**
     * @param meanForecasts forecasts of the schedules behind the method's mean (null: the candidates)
     * @param candidates the method's candidates, re-scored with {@code finalSeed}; the best is its schedule
     */
    private MethodResult evaluate(String method, List<ProposedSchedule> meanForecasts, List<Schedule> meanSchedules,
            List<Schedule> candidates, long nadeEpisodes, NadeModel nade, RewardFunction reward, long finalSeed,
            long seed) {
        List<ProposedSchedule> scored = ScheduleForecasts.forecast(nade, reward, candidates, FINAL_ROLLOUTS, finalSeed);
        int best = 0;
        for (int i = 0; i < scored.size(); i++) {
            if (scored.get(i).objectiveValue() > scored.get(best).objectiveValue()) {
                best = i;
            }
        }
        List<ProposedSchedule> forecasts = meanForecasts != null ? meanForecasts : scored;
        List<Schedule> schedules = meanSchedules != null ? meanSchedules : candidates;
        double objective = 0;
        double final2H = 0;
        for (ProposedSchedule f : forecasts) {
            objective += f.objectiveValue();
            final2H += f.final2H();
        }
        int n = forecasts.size();
        Double simObjective = null;
        Double simFinal = null;
        Double simBestObjective = null;
        Double simBestFinal = null;
        if (simulatorReplicas > 0) {
            long[] seeds = new long[n];
            for (int i = 0; i < n; i++) {
                seeds[i] = Seeds.derive(seed, 1000 + i);
            }
            List<SimulatedRun> runs = CvdSimulator.DEFAULT.simulateAll(schedules, seeds, threads);
            double so = 0;
            double sf = 0;
            for (SimulatedRun run : runs) {
                so += reward.objectiveValue(SimulatorTrajectories.of(run));
                sf += run.finalPhases().phase2H();
            }
            simObjective = so / n;
            simFinal = sf / n;
            ReplicaSummary summary = CvdSimulator.DEFAULT.summarise(candidates.get(best), simulatorReplicas,
                    Seeds.derive(seed, 7), threads);
            simBestObjective = reward.objectiveValue(SimulatorTrajectories.mean(summary));
            simBestFinal = summary.last().phase2H().mean();
        }
        return new MethodResult(method, n, nadeEpisodes, objective / n, final2H / n,
                scored.get(best).objectiveValue(), scored.get(best).final2H(), simObjective, simFinal,
                simBestObjective, simBestFinal, simulatorReplicas, candidates.get(best), null);
    }

}
