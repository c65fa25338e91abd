package org.cvdplanner.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.cvdplanner.nade.NadeModel;
import org.cvdplanner.synthesis.ConditionBounds;
import org.cvdplanner.synthesis.ConditionVector;
import org.cvdplanner.synthesis.Schedule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The agent's science on a fixed NADE model: learning, resuming, constraints, serialisation. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentTrainerTests {

    NadeModel nade;
    Agent trained;
    List<RewardPoint> curve;

    @BeforeAll
    void trainOnce() {
        nade = AgentTestModels.nade();
        AgentHyperParameters hp = AgentHyperParameters.defaults().withEpisodes(3_200).withSeed(5);
        trained = new AgentTrainer(hp, 2).train(nade, "test-nade", null, AgentTrainingListener.NONE);
        curve = trained.rewardCurve();
    }

    private static double mean(List<RewardPoint> points) {
        return points.stream().mapToDouble(RewardPoint::meanObjective).average().orElseThrow();
    }

    @Test
    void meanReturnImprovesOverTrainingAndEndsAboveTheRandomWalkBaseline() {
        assertThat(curve).hasSize(100);
        double first = mean(curve.subList(0, 10));
        double last = mean(curve.subList(90, 100));
        assertThat(last).as("mean objective of the last 10 batches vs the first 10").isGreaterThan(first + 0.05);

        Baselines baselines = new Baselines(300, 64, 8, 0, new CrossEntropyOptimiser(50, 0.2, 0.3, 0.02), 2, 0.5, 0.02);
        BaselineReport report = baselines.compare(trained, nade, 3);
        assertThat(report.randomWalk().schedules()).isEqualTo(300);
        assertThat(report.agent().nadeMeanObjective()).as("agent vs random walks on NADE")
                .isGreaterThan(report.randomWalk().nadeMeanObjective() + 0.05);
        // equal budgets: training 3,200 + refinement 1,600 = CEM's 4,800 = the random walks' 4,800
        assertThat(report.agentRefined().nadeEpisodes()).isEqualTo(4_800);
        assertThat(report.crossEntropy().nadeEpisodes()).isEqualTo(4_800);
        assertThat(report.randomWalk().nadeEpisodes()).isEqualTo(4_800);
        MethodResult best = report.best();
        boolean keptCem = report.warnings().stream().anyMatch(w -> w.contains("not significantly"));
        for (MethodResult m : List.of(report.agent(), report.agentRefined(), report.crossEntropy(), report.randomWalk())) {
            assertThat(m.nadeRobustObjective()).as("robust objective of %s", m.method()).isNotNull();
            if (!keptCem) {
                assertThat(best.selectionObjective()).as("the winner %s vs %s", best.method(), m.method())
                        .isGreaterThanOrEqualTo(m.selectionObjective());
            }
        }
        if (keptCem) {
            // CEM stays the choice when the best other method's lead is inside the noise
            assertThat(report.winner()).isEqualTo("cross-entropy");
        }
        // the margin: the winner's selection objective over the best other method's (not below zero
        // unless CEM was kept, by the loop above)
        double runnerUp = List.of(report.agent(), report.agentRefined(), report.crossEntropy(), report.randomWalk())
                .stream().filter(m -> m != best).mapToDouble(MethodResult::selectionObjective).max().orElseThrow();
        assertThat(report.margin()).isEqualTo(best.selectionObjective() - runnerUp);
        assertThat(report.agent().simulatedMeanObjective()).isNull();
    }

    @Test
    void resumingFromACheckpointContinuesTheSameRun() {
        AgentHyperParameters hp = AgentHyperParameters.defaults().withEpisodes(8 * 32).withSeed(11);
        Agent straight = new AgentTrainer(hp, 2).train(nade, null, null, AgentTrainingListener.NONE);
        byte[][] afterFour = new byte[1][];
        assertThatThrownBy(() -> new AgentTrainer(hp, 2).train(nade, null, null, (progress, checkpoint) -> {
            if (progress.batch() == 4) {
                afterFour[0] = checkpoint.get();
                throw new IllegalStateException("killed");
            }
        })).hasMessage("killed");
        assertThat(AgentTrainer.checkpointEpisodes(afterFour[0])).isEqualTo(4 * 32);
        List<Integer> resumedBatches = new ArrayList<>();
        Agent resumed = new AgentTrainer(hp, 2).train(nade, null, afterFour[0],
                (progress, checkpoint) -> resumedBatches.add(progress.batch()));
        assertThat(resumedBatches).containsExactly(5, 6, 7, 8);
        assertThat(resumed.rewardCurve()).isEqualTo(straight.rewardCurve());
        ProposalSettings settings = new ProposalSettings(5, null, ProposalMode.SAMPLED, 9, 1);
        assertThat(resumed.schedules(nade, settings, 1)).isEqualTo(straight.schedules(nade, settings, 1));

        assertThatThrownBy(() -> new AgentTrainer(hp.withSeed(12), 2).train(nade, null, afterFour[0],
                AgentTrainingListener.NONE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("checkpoint");
    }

    /**
     * Property: over many random furnace configurations (bounds, change limits, fixed gases, hold
     * times) no schedule from the agent (both modes, the model's length and 40 steps, its own or a
     * given X_0), CEM (from scratch and refining) or random walks breaks a configured limit.
     */
    @Test
    void noScheduleEverBreaksAConfiguredFurnaceLimit() {
        int bitChange = 0;
        int bitHold = 0;
        for (long seed = 1; seed <= 12; seed++) {
            java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
            ConditionBounds bounds = new ConditionBounds(
                    new ConditionVector(750 + rng.nextInt(800), 20 + rng.nextInt(40), 20 + rng.nextInt(40), 20 + rng.nextInt(40)),
                    new ConditionVector(2800 + rng.nextInt(950), 150 + rng.nextInt(100), 150 + rng.nextInt(100), 120 + rng.nextInt(80)));
            ConditionVector limit = new ConditionVector(100 + rng.nextInt(600), 5 + rng.nextInt(30), 5 + rng.nextInt(30),
                    5 + rng.nextInt(30));
            Double fixedH2 = seed % 2 == 0 ? bounds.min(2) + rng.nextDouble() * (bounds.max(2) - bounds.min(2)) : null;
            Double fixedS2 = seed % 3 == 0 ? bounds.min(1) + rng.nextDouble() * (bounds.max(1) - bounds.min(1)) : null;
            int hold = 1 + (int) (seed % 4);
            AgentHyperParameters hp = AgentHyperParameters.defaults().withEpisodes(2 * 16).withBatchSize(16)
                    .withSigma(1.5).withSeed(seed).withConstraints(bounds, limit)
                    .withFurnace(new FixedGases(fixedS2, fixedH2, null), hold);
            Agent agent = new AgentTrainer(hp, 1).train(nade, AgentTrainingListener.NONE);
            List<Schedule> all = new ArrayList<>();
            ConditionVector x0 = new ConditionVector(bounds.max(0) - 1, fixedS2 != null ? fixedS2 : bounds.min(1) + 1,
                    fixedH2 != null ? fixedH2 : bounds.max(2), bounds.min(3));
            for (ProposalMode mode : ProposalMode.values()) {
                for (Integer steps : new Integer[] {null, 40}) {
                    all.addAll(agent.schedules(nade, new ProposalSettings(8, null, mode, seed, 1, steps), 1));
                    all.addAll(agent.schedules(nade, new ProposalSettings(4, x0, mode, seed + 1, 1, steps), 1));
                }
            }
            try (EpisodeRunner runner = new EpisodeRunner(nade, hp, 1)) {
                CrossEntropyOptimiser cem = new CrossEntropyOptimiser(30, 0.2, 0.5, 0.05);
                CrossEntropyOptimiser.Result scratch = cem.optimise(runner, hp, 60, seed);
                CrossEntropyOptimiser.Result refined = cem.optimise(runner, hp, 60, seed, all.get(0).conditionsFlat(), 0.1);
                for (CrossEntropyOptimiser.Result r : List.of(scratch, refined)) {
                    for (double[] c : r.candidates()) {
                        all.add(ScheduleForecasts.schedule(c, 0, hp.steps()));
                    }
                }
            }
            all.addAll(Baselines.randomWalks(hp, 40, seed));
            for (double[] elite : agent.elites()) {
                all.add(ScheduleForecasts.schedule(elite, 0, hp.steps()));
            }
            for (Schedule s : all) {
                int held = 1;
                for (int t = 0; t < s.length(); t++) {
                    assertThat(bounds.contains(s.at(t))).as("seed %d step %d of %s inside the bounds", seed, t, s).isTrue();
                    if (fixedS2 != null) {
                        assertThat(s.at(t).s2()).as("fixed S2").isEqualTo(fixedS2);
                    }
                    if (fixedH2 != null) {
                        assertThat(s.at(t).h2()).as("fixed H2").isEqualTo(fixedH2);
                    }
                    if (t == 0) {
                        continue;
                    }
                    for (int c = 0; c < 4; c++) {
                        double change = Math.abs(s.at(t).get(c) - s.at(t - 1).get(c));
                        assertThat(change).as("seed %d: change of %d at step %d", seed, c, t)
                                .isLessThanOrEqualTo(limit.get(c) + 1e-9);
                        if (c == 0 && Math.abs(change - limit.get(0)) < 1e-9) {
                            bitChange++;
                        }
                    }
                    boolean changed = s.at(t).temperatureK() != s.at(t - 1).temperatureK();
                    if (changed) {
                        assertThat(held).as("seed %d: temperature held %d steps before changing at step %d (minimum %d)",
                                seed, held, t, hold).isGreaterThanOrEqualTo(hold);
                        held = 1;
                    } else {
                        held++;
                        if (hold > 1 && held < hold) {
                            bitHold++;
                        }
                    }
                }
            }
            assertThat(new FurnaceLimits(hp).violation(all.get(0).conditionsFlat(), 0, all.get(0).length())).isNull();
        }
        // the limits must actually have bitten: some steps at the change limit, some forced holds
        assertThat(bitChange).isPositive();
        assertThat(bitHold).isPositive();
        assertThatThrownBy(() -> AgentHyperParameters.defaults().withFurnace(new FixedGases(null, 900.0, null), 1))
                .isInstanceOf(InvalidAgentParameterException.class).hasMessageContaining("fixedGases.h2");
        assertThatThrownBy(() -> AgentHyperParameters.defaults().withFurnace(null, 0))
                .isInstanceOf(InvalidAgentParameterException.class).hasMessageContaining("minHoldSteps");
    }

    @Test
    void theRolloutsForwardPassIsTheOneTheUpdateWouldCompute() {
        // the update reuses the rollout's activations: they must belong to the stored features, row by row
        AgentHyperParameters hp = AgentHyperParameters.defaults().withBatchSize(40);
        PolicyNet net = PolicyNet.initial(3);
        try (EpisodeRunner runner = new EpisodeRunner(nade, hp, 2)) {
            EpisodeBatch b = runner.run(net, 40, true, true, 5, null, true, hp.steps(), 0.5);
            PolicyNet.Activations again = net.forward(b.features, 40 * hp.actionsPerEpisode(), Gemm.JAVA);
            for (int i = 0; i < again.o().length; i++) {
                assertThat(b.activations.o()[i]).isCloseTo(again.o()[i], org.assertj.core.data.Offset.offset(1e-4f));
            }
            for (int i = 0; i < again.a1().length; i++) {
                assertThat(b.activations.a1()[i]).isCloseTo(again.a1()[i], org.assertj.core.data.Offset.offset(1e-4f));
            }
        }
    }

    @Test
    void longProposalsRollThePolicyPastTheModelsHorizon() {
        List<ProposedSchedule> p = trained.propose(nade, new ProposalSettings(2, null, ProposalMode.SAMPLED, 4, 8, 40));
        assertThat(p).hasSize(2);
        assertThat(p.get(0).schedule().length()).isEqualTo(40);
        assertThat(p.get(0).forecast().mean()).hasNumberOfRows(40);
        assertThatThrownBy(() -> new ProposalSettings(1, null, ProposalMode.SAMPLED, 4, 8, 2))
                .isInstanceOf(InvalidAgentParameterException.class).hasMessageContaining("steps");
    }

    @Test
    void agentSerialisesByHashAndProposesTheSameAfterwards() {
        Agent copy = Agent.fromBytes(trained.toBytes(), trained.sha256());
        assertThat(copy.hyperParameters()).isEqualTo(trained.hyperParameters());
        assertThat(copy.provenance()).isEqualTo(trained.provenance());
        assertThat(copy.rewardCurve()).isEqualTo(trained.rewardCurve());
        ProposalSettings settings = new ProposalSettings(3, null, ProposalMode.DETERMINISTIC, 1, 16);
        List<ProposedSchedule> a = trained.propose(nade, settings);
        List<ProposedSchedule> b = copy.propose(nade, settings);
        for (int i = 0; i < a.size(); i++) {
            assertThat(b.get(i).schedule()).isEqualTo(a.get(i).schedule());
            assertThat(b.get(i).objectiveValue()).isEqualTo(a.get(i).objectiveValue());
        }
        assertThat(trained.provenance().nadeModelSha256()).isEqualTo(nade.sha256());
        assertThat(trained.provenance().nadeModelId()).isEqualTo("test-nade");
        // the NADE model's provenance is embedded, without its learning curve
        assertThat(trained.provenance().nadeModel().profileHash()).isEqualTo(nade.provenance().profileHash());
        assertThat(trained.provenance().nadeModel().hyperParameters()).isEqualTo(nade.provenance().hyperParameters());
        assertThat(trained.provenance().nadeModel().history()).isEmpty();
        assertThat(nade.provenance().history()).isNotEmpty();
        assertThat(trained.provenance().episodes()).isEqualTo(3_200);
        byte[] tampered = trained.toBytes();
        tampered[tampered.length / 2] ^= 1;
        assertThatThrownBy(() -> Agent.fromBytes(tampered, trained.sha256())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SHA-256");
    }

    @Test
    void proposalsCarryForecastBandsAndTheObjective() {
        List<ProposedSchedule> proposals = trained.propose(nade,
                new ProposalSettings(4, null, ProposalMode.SAMPLED, 3, 32));
        assertThat(proposals).hasSize(4);
        for (ProposedSchedule p : proposals) {
            double[][] mean = p.forecast().mean();
            assertThat(mean).hasNumberOfRows(20);
            for (int t = 0; t < 20; t++) {
                assertThat(mean[t][0] + mean[t][1] + mean[t][2]).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
                for (int k = 0; k < 3; k++) {
                    assertThat(p.forecast().p5()[t][k]).isLessThanOrEqualTo(p.forecast().p95()[t][k]);
                }
            }
            double sum = 0;
            for (int t = 2; t < 20; t++) {
                sum += mean[t][0];
            }
            assertThat(p.objectiveValue()).isCloseTo(sum / 18, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(p.final2H()).isEqualTo(mean[19][0]);
        }
    }

    @Test
    void trainingRefusesAnEpisodeLengthOtherThanTheModels() {
        assertThatThrownBy(() -> new AgentTrainer(AgentHyperParameters.defaults().withSteps(10), 1).train(nade,
                AgentTrainingListener.NONE)).isInstanceOf(InvalidAgentParameterException.class)
                .hasMessageContaining("steps");
    }
}
