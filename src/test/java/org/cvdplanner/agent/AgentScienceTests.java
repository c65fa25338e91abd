package org.cvdplanner.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.ArrayList;
import java.util.List;

import org.cvdplanner.synthesis.ConditionVector;
import org.cvdplanner.synthesis.PhaseVector;
import org.cvdplanner.synthesis.Schedule;
import org.junit.jupiter.api.Test;

/** Plain arithmetic of the agent feature: rewards, hyper-parameters, comparisons, analyses. */
class AgentScienceTests {

    @Test
    void rewardsReadTheRightPhase() {
        float[] z = {0.2f, 0.5f, 0.3f};
        assertThat(new RewardFunction(Objective.MAX_2H_EARLY, null).reward(z, 0, false)).isCloseTo(0.2, offset(1e-7));
        assertThat(new RewardFunction(Objective.MAX_FINAL_2H, null).reward(z, 0, false)).isZero();
        assertThat(new RewardFunction(Objective.MAX_FINAL_2H, null).reward(z, 0, true)).isCloseTo(0.2, offset(1e-7));
        assertThat(new RewardFunction(Objective.MAX_1T, null).reward(z, 0, false)).isCloseTo(0.5, offset(1e-7));
        RewardFunction mixture = new RewardFunction(Objective.TARGET_MIXTURE, new PhaseVector(0.2, 0.5, 0.3));
        assertThat(mixture.reward(z, 0, false)).isCloseTo(1.0, offset(1e-7));
        assertThat(mixture.reward(new float[] {1, 0, 0}, 0, false)).isCloseTo(0.2, offset(1e-7));
        double[][] trajectory = {{0, 0, 1}, {0.1, 0, 0.9}, {0.2, 0.1, 0.7}, {0.6, 0.1, 0.3}};
        assertThat(new RewardFunction(Objective.MAX_2H_EARLY, null).objectiveValue(trajectory)).isCloseTo(0.4, offset(1e-12));
        assertThat(new RewardFunction(Objective.MAX_FINAL_2H, null).objectiveValue(trajectory)).isCloseTo(0.6, offset(1e-12));
    }

    @Test
    void hyperParametersNameTheFieldAtFault() {
        AgentHyperParameters d = AgentHyperParameters.defaults();
        assertThat(d.actionsPerEpisode()).isEqualTo(18);
        assertThat(d.batches()).isEqualTo(469);
        assertThatThrownBy(() -> d.withEpisodes(0)).isInstanceOf(InvalidAgentParameterException.class)
                .extracting(e -> ((InvalidAgentParameterException) e).field()).isEqualTo("episodes");
        assertThatThrownBy(() -> d.withSigma(0)).extracting(e -> ((InvalidAgentParameterException) e).field())
                .isEqualTo("sigma");
        assertThatThrownBy(() -> d.withObjective(Objective.TARGET_MIXTURE, null))
                .extracting(e -> ((InvalidAgentParameterException) e).field()).isEqualTo("targetMixture");
        assertThatThrownBy(() -> d.withObjective(Objective.TARGET_MIXTURE, new PhaseVector(0.5, 0.6, 0)))
                .hasMessageContaining("sum to 1");
        assertThatThrownBy(() -> d.withInitialConditions(new ConditionVector(5000, 50, 50, 50)))
                .extracting(e -> ((InvalidAgentParameterException) e).field()).isEqualTo("initialConditions");
        assertThatThrownBy(() -> d.withConstraints(d.bounds(), new ConditionVector(100, 0, 5, 5)))
                .extracting(e -> ((InvalidAgentParameterException) e).field()).isEqualTo("maxChangePerStep.s2");
        assertThat(d.withObjective(Objective.MAX_1T, new PhaseVector(1, 0, 0)).targetMixture()).isNull();
        assertThat(d.withConstraints(d.bounds(), new ConditionVector(100, 10, 10, 10)).constrain(0, 3700, 2000))
                .isEqualTo(3600);
        assertThat(d.constrain(0, 3700, 9000)).isEqualTo(3750);
    }

    @Test
    void parametersParseTheObjectiveCaseInsensitively() {
        AgentTrainingParameters p = new AgentTrainingParameters(java.util.UUID.randomUUID(), null, null, null, null,
                null, null, null, null, "max_1t", null, null, null, null, null, null, null, null, null, null, null, null, null);
        assertThat(p.hyperParameters(1, 20).objective()).isEqualTo(Objective.MAX_1T);
        AgentTrainingParameters bad = new AgentTrainingParameters(java.util.UUID.randomUUID(), null, null, null, null,
                null, null, null, null, "MOST_2H", null, null, null, null, null, null, null, null, null, null, null, null, null);
        assertThatThrownBy(() -> bad.hyperParameters(1, 20)).isInstanceOf(InvalidAgentParameterException.class)
                .hasMessageContaining("MAX_2H_EARLY");
    }
}
