package org.cvdplanner.agent;

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
 * Runs the comparison of {@link BaselineReport} for a trained agent.
 *
 * @param randomWalks random-walk schedules to evaluate
 * @param agentProposals deterministic agent proposals (X_0 drawn uniformly) to evaluate
 * @param rollouts NADE Monte-Carlo rollouts per schedule
 * @param simulatorReplicas simulator replicas of each method's best schedule; 0 = no simulator
 * @param crossEntropy the cross-entropy method's settings
 * @param threads threads for rollouts and simulations
 */
public record Baselines(int randomWalks, int agentProposals, int rollouts, int simulatorReplicas,
        CrossEntropyOptimiser crossEntropy, int threads) {

    /** The random walk's step std of the reference work (K, molecules, molecules, molecules). */
    static final ConditionVector RANDOM_WALK_STD = new ConditionVector(250, 20, 20, 20);

    public Baselines {
        if (randomWalks < 1 || agentProposals < 1 || rollouts < 1 || simulatorReplicas < 0 || threads < 1) {
            throw new IllegalArgumentException("invalid baseline settings");
        }
    }

    /** 1,000 random walks, 256 agent proposals, 16 rollouts, 16 simulator replicas, CEM 250 × budget/250. */
    public static Baselines defaults(int threads) {
        return new Baselines(1000, 256, 16, 16, CrossEntropyOptimiser.DEFAULT, threads);
    }

    /** Compares the agent with random walks and CEM (given the agent's training budget in NADE episodes). */
    public BaselineReport compare(Agent agent, NadeModel nade, long seed) {
        agent.requireTrainedOn(nade);
        AgentHyperParameters hp = agent.hyperParameters();
        RewardFunction reward = RewardFunction.of(hp);
        List<Schedule> agentSchedules = agent.schedules(nade,
                new ProposalSettings(agentProposals, null, ProposalMode.DETERMINISTIC, AgentSeeds.derive(seed, 1), 1),
                threads);
        MethodResult agentResult = evaluate("agent", agentSchedules, agent.provenance().episodes(), nade, reward,
                AgentSeeds.derive(seed, 2));
        MethodResult random = evaluate("random-walk", randomWalks(hp, randomWalks, AgentSeeds.derive(seed, 3)), 0,
                nade, reward, AgentSeeds.derive(seed, 4));
        CrossEntropyOptimiser.Result cem;
        try (EpisodeRunner runner = new EpisodeRunner(nade, hp, threads)) {
            cem = crossEntropy.optimise(runner, hp, agent.provenance().episodes(), AgentSeeds.derive(seed, 5));
        }
        MethodResult cross = evaluate("cross-entropy",
                List.of(ScheduleForecasts.schedule(cem.schedule(), 0, hp.steps())), cem.episodes(), nade, reward,
                AgentSeeds.derive(seed, 6));
        return new BaselineReport(hp.objective(), rollouts, seed, agentResult, random, cross);
    }

    /** Random walks as the reference work drew them, limited to the agent's constraints. */
    static List<Schedule> randomWalks(AgentHyperParameters hp, int count, long seed) {
        List<Schedule> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            SplittableRandom rng = new SplittableRandom(AgentSeeds.derive(seed, i));
            double[] x = new double[hp.steps() * 4];
            for (int c = 0; c < 4; c++) {
                x[c] = hp.initialConditions() != null ? hp.initialConditions().get(c)
                        : hp.bounds().min(c) + rng.nextDouble() * (hp.bounds().max(c) - hp.bounds().min(c));
            }
            for (int t = 1; t < hp.steps(); t++) {
                for (int c = 0; c < 4; c++) {
                    double previous = x[(t - 1) * 4 + c];
                    x[t * 4 + c] = hp.constrain(c, previous, previous + RANDOM_WALK_STD.get(c) * rng.nextGaussian());
                }
            }
            out.add(ScheduleForecasts.schedule(x, 0, hp.steps()));
        }
        return out;
    }

    private MethodResult evaluate(String method, List<Schedule> schedules, long nadeEpisodes, NadeModel nade,
            RewardFunction reward, long seed) {
        List<ProposedSchedule> forecasts = ScheduleForecasts.forecast(nade, reward, schedules, rollouts, seed);
        double objective = 0;
        double final2H = 0;
        int best = 0;
        for (int i = 0; i < forecasts.size(); i++) {
            objective += forecasts.get(i).objectiveValue();
            final2H += forecasts.get(i).final2H();
            if (forecasts.get(i).objectiveValue() > forecasts.get(best).objectiveValue()) {
                best = i;
            }
        }
        int n = forecasts.size();
        Double simObjective = null;
        Double simFinal = null;
        Double simBestObjective = null;
        Double simBestFinal = null;
        if (simulatorReplicas > 0) {
            long[] seeds = new long[n];
            for (int i = 0; i < n; i++) {
                seeds[i] = AgentSeeds.derive(seed, 1000 + i);
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
            ReplicaSummary summary = CvdSimulator.DEFAULT.summarise(schedules.get(best), simulatorReplicas,
                    AgentSeeds.derive(seed, 7), threads);
            simBestObjective = reward.objectiveValue(SimulatorTrajectories.mean(summary));
            simBestFinal = summary.last().phase2H().mean();
        }
        return new MethodResult(method, n, nadeEpisodes, objective / n, final2H / n,
                forecasts.get(best).objectiveValue(), forecasts.get(best).final2H(), simObjective, simFinal,
                simBestObjective, simBestFinal, simulatorReplicas, schedules.get(best));
    }

}
