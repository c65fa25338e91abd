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
        AgentHyperParameters hp = AgentHyperParameters.defaults().withEpisodes(3_200).withSigma(1.0).withSeed(5);
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

        Baselines baselines = new Baselines(300, 64, 8, 0, new CrossEntropyOptimiser(50, 0.2, 0.3, 0.02), 2);
        BaselineReport report = baselines.compare(trained, nade, 3);
        assertThat(report.randomWalk().schedules()).isEqualTo(300);
        assertThat(report.agent().nadeMeanObjective()).as("agent vs random walks on NADE")
                .isGreaterThan(report.randomWalk().nadeMeanObjective() + 0.05);
        assertThat(report.crossEntropy().nadeEpisodes()).isEqualTo(3_200);
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

    @Test
    void proposalsRespectBoundsAndTheMaximumChangePerStep() {
        ConditionBounds bounds = new ConditionBounds(new ConditionVector(1000, 30, 30, 30),
                new ConditionVector(3500, 200, 200, 150));
        ConditionVector limit = new ConditionVector(300, 15, 10, 12);
        AgentHyperParameters hp = AgentHyperParameters.defaults().withEpisodes(4 * 32).withSigma(3.0).withSeed(2)
                .withConstraints(bounds, limit);
        Agent agent = new AgentTrainer(hp, 1).train(nade, AgentTrainingListener.NONE);
        List<Schedule> all = new ArrayList<>();
        for (ProposalMode mode : ProposalMode.values()) {
            all.addAll(agent.schedules(nade, new ProposalSettings(64, null, mode, 4, 1), 2));
            all.addAll(agent.schedules(nade, new ProposalSettings(8, new ConditionVector(3400, 40, 190, 100), mode, 5, 1),
                    1));
        }
        CrossEntropyOptimiser.Result cem;
        try (EpisodeRunner runner = new EpisodeRunner(nade, hp, 1)) {
            cem = new CrossEntropyOptimiser(40, 0.25, 0.5, 0.05).optimise(runner, hp, 120, 6);
        }
        all.add(ScheduleForecasts.schedule(cem.schedule(), 0, hp.steps()));
        all.addAll(Baselines.randomWalks(hp, 50, 8));
        for (Schedule s : all) {
            assertThat(s.length()).isEqualTo(20);
            for (int t = 0; t < s.length(); t++) {
                assertThat(bounds.contains(s.at(t))).as("step %d of %s inside the bounds", t, s).isTrue();
                if (t > 0) {
                    for (int c = 0; c < 4; c++) {
                        assertThat(Math.abs(s.at(t).get(c) - s.at(t - 1).get(c))).as("change of %d at step %d", c, t)
                                .isLessThanOrEqualTo(limit.get(c) + 1e-9);
                    }
                }
            }
        }
        // σ = 3 explores: the limits must actually have bitten somewhere
        boolean limited = all.stream().anyMatch(s -> {
            for (int t = 1; t < s.length(); t++) {
                if (Math.abs(Math.abs(s.at(t).temperatureK() - s.at(t - 1).temperatureK()) - 300) < 1e-9) {
                    return true;
                }
            }
            return false;
        });
        assertThat(limited).isTrue();
        assertThatThrownBy(() -> agent.schedules(nade, new ProposalSettings(1, new ConditionVector(900, 40, 40, 40),
                ProposalMode.DETERMINISTIC, 1, 1), 1)).isInstanceOf(InvalidAgentParameterException.class)
                .hasMessageContaining("initialConditions");
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
