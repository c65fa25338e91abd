package org.cvdplanner.proposal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.ArrayList;
import java.util.List;

import org.cvdplanner.agent.AgentHyperParameters;
import org.cvdplanner.agent.Objective;
import org.cvdplanner.agent.RewardFunction;
import org.cvdplanner.synthesis.ConditionVector;
import org.cvdplanner.synthesis.PhaseVector;
import org.cvdplanner.synthesis.Schedule;
import org.junit.jupiter.api.Test;

/** The plain-Java parts of proposals: validation errors, phase order and schedule shape. */
class ProposalScienceTests {

    @Test
    void validationErrorsCompareMeansBandsAndTheFinal2H() {
        double[][] predicted = {{0, 0, 1}, {0.1, 0.2, 0.7}, {0.5, 0.1, 0.4}, {0.8, 0.05, 0.15}};
        double[][] simulated = {{0, 0, 1}, {0.1, 0.2, 0.7}, {0.4, 0.1, 0.5}, {0.7, 0.05, 0.25}};
        double[][] p5 = new double[4][3];
        double[][] p95 = new double[4][3];
        for (int t = 0; t < 4; t++) {
            for (int k = 0; k < 3; k++) {
                p5[t][k] = predicted[t][k] - 0.05;
                p95[t][k] = predicted[t][k] + 0.05;
            }
        }
        ValidationErrors e = ValidationErrors.compare(predicted, p5, p95, simulated,
                RewardFunction.of(AgentHyperParameters.defaults().withObjective(Objective.MAX_2H_EARLY, null)));
        assertThat(e.rmse().phase2H()).isCloseTo(Math.sqrt(0.02 / 3), offset(1e-12));
        assertThat(e.mae().phase1T()).isZero();
        assertThat(e.final2HDifference()).isCloseTo(0.1, offset(1e-12));
        assertThat(e.final2HDifferenceAtoms()).isCloseTo(28.8, offset(1e-9));
        assertThat(e.rmseAtoms().phase2H()).isCloseTo(e.rmse().phase2H() * 288, offset(1e-9));
        // 2H and defect miss the band at steps 2 and 3; 1T always inside; step 1 all inside
        assertThat(e.bandCoverage()).isCloseTo(5.0 / 9, offset(1e-12));
        assertThat(e.predictedObjective()).isCloseTo(0.65, offset(1e-12));
        assertThat(e.simulatedObjective()).isCloseTo(0.55, offset(1e-12));
    }

    @Test
    void phaseOrderFindsWhen1TAnd2HAppearAndPeak() {
        double[][] z = {{0, 0, 1}, {0, 0.01, 0.99}, {0, 0.3, 0.7}, {0.1, 0.4, 0.5}, {0.5, 0.2, 0.3}, {0.8, 0.05, 0.15}};
        PhaseOrder order = PhaseOrder.of(z);
        assertThat(order.oneTPeakStep()).isEqualTo(3);
        assertThat(order.twoHPeakStep()).isEqualTo(5);
        assertThat(order.firstOneTStep()).isEqualTo(2);
        assertThat(order.firstTwoHStep()).isEqualTo(3);
        assertThat(order.twoHOvertakesOneTStep()).isEqualTo(4);
        assertThat(order.oneTPeaksBeforeTwoH()).isTrue();
        assertThat(order.oneTAppearsBeforeTwoH()).isTrue();
    }

    @Test
    void scheduleShapeRecognisesHotThenAnneal() {
        List<ConditionVector> steps = new ArrayList<>();
        for (int t = 0; t < 20; t++) {
            double temperature = t < 2 ? 2500 : t < 8 ? 3400 : 2000;
            steps.add(new ConditionVector(temperature, t < 3 ? 30 : 150, 100, 100));
        }
        ScheduleShape shape = ScheduleShape.of(new Schedule(steps));
        assertThat(shape.hotSteps()).isEqualTo(6);
        assertThat(shape.firstHotStep()).isEqualTo(2);
        assertThat(shape.lastHotStep()).isEqualTo(7);
        assertThat(shape.meanTemperatureAfterHotK()).isEqualTo(2000);
        assertThat(shape.meanS2FirstThreeSteps()).isEqualTo(30);
        assertThat(shape.meanS2Later()).isEqualTo(150);
        assertThat(shape.hotThenAnneal()).isTrue();
        List<ConditionVector> cold = new ArrayList<>();
        for (int t = 0; t < 20; t++) {
            cold.add(new ConditionVector(1500, 100, 100, 100));
        }
        assertThat(ScheduleShape.of(new Schedule(cold)).hotThenAnneal()).isFalse();
    }
}
