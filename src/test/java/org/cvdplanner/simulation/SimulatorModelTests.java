package org.cvdplanner.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.cvdplanner.synthesis.ConditionBounds;
import org.cvdplanner.synthesis.ConditionVector;
import org.cvdplanner.synthesis.PhaseVector;
import org.cvdplanner.synthesis.Schedule;
import org.junit.jupiter.api.Test;

/** The model's mechanics beyond the calibration targets: lattice, time convention, API, checks. */
class SimulatorModelTests {

    private final CvdSimulator simulator = CvdSimulator.DEFAULT;

    @Test
    void latticeIsPeriodicWithSixDistinctSymmetricNeighbours() {
        assertThat(Lattice.SITES).isEqualTo(PhaseVector.MO_ATOMS);
        for (int i = 0; i < Lattice.SITES; i++) {
            Set<Integer> neighbours = new HashSet<>();
            for (int k = 0; k < Lattice.NEIGHBOURS; k++) {
                int n = Lattice.NEIGHBOUR[i * Lattice.NEIGHBOURS + k];
                neighbours.add(n);
                boolean symmetric = false;
                for (int j = 0; j < Lattice.NEIGHBOURS; j++) {
                    symmetric |= Lattice.NEIGHBOUR[n * Lattice.NEIGHBOURS + j] == i;
                }
                assertThat(symmetric).as("site %d and %d", i, n).isTrue();
            }
            assertThat(neighbours).hasSize(6).doesNotContain(i);
        }
    }

    @Test
    void followsTheTimeConventionOfTheData() {
        Schedule hot = CalibrationSchedules.constant(3300);
        SimulatedRun run = simulator.simulate(hot, 5);
        assertThat(run.steps()).isEqualTo(20);
        assertThat(run.phases(0)).isEqualTo(PhaseVector.INITIAL);
        assertThat(run.count(0, SiteState.OXIDE)).isEqualTo(288);
        assertThat(run.remainingOxide(0)).isEqualTo(1.0);
        assertThat(run.sulfidisedFraction(0)).isZero();
        // X_0 acts during step 0 and already changes Z_1
        assertThat(run.count(1, SiteState.OXIDE)).isLessThan(288);
        // the last step's conditions have no observed effect
        List<ConditionVector> changedLast = new ArrayList<>(hot.steps());
        changedLast.set(19, new ConditionVector(750, 20, 20, 20));
        assertThat(simulator.simulate(new Schedule(changedLast), 5).trajectory()).isEqualTo(run.trajectory());
        // but those of step 18 do
        List<ConditionVector> changed18 = new ArrayList<>(hot.steps());
        changed18.set(18, new ConditionVector(750, 20, 20, 20));
        assertThat(simulator.simulate(new Schedule(changed18), 5).trajectory()).isNotEqualTo(run.trajectory());
    }

    @Test
    void phasesAreCountsOf288AndSumToOne() {
        SimulatedRun run = simulator.simulate(CalibrationSchedules.reference(), 11);
        for (int t = 0; t < run.steps(); t++) {
            int total = 0;
            for (SiteState state : SiteState.values()) {
                total += run.count(t, state);
            }
            assertThat(total).isEqualTo(288);
            PhaseVector z = run.phases(t);
            assertThat(z.phase2H() * 288).isEqualTo(run.count(t, SiteState.PHASE_2H), org.assertj.core.data.Offset.offset(1e-9));
            assertThat(z.phase2H() + z.phase1T() + z.phaseDefect()).isEqualTo(1.0, org.assertj.core.data.Offset.offset(1e-12));
            assertThat(run.sulfidisedFraction(t) + run.remainingOxide(t) + run.count(t, SiteState.REDUCED) / 288.0)
                    .isEqualTo(1.0, org.assertj.core.data.Offset.offset(1e-12));
        }
    }

    @Test
    void batchResultsDoNotDependOnTheThreadCount() {
        List<SimulatedRun> one = simulator.simulateRandomWalks(RandomWalkScheduleGenerator.PAPER, 99, 0, 200, 1);
        List<SimulatedRun> four = simulator.simulateRandomWalks(RandomWalkScheduleGenerator.PAPER, 99, 0, 200, 4);
        assertThat(four).isEqualTo(one);
        // an item is the same whichever chunk computes it
        List<SimulatedRun> tail = simulator.simulateRandomWalks(RandomWalkScheduleGenerator.PAPER, 99, 150, 50, 2);
        assertThat(tail).isEqualTo(one.subList(150, 200));
        assertThat(new HashSet<>(one)).hasSize(200);
    }

    @Test
    void sulfurIsNeededForSulfidationAndHydrogenHelpsReduction() {
        List<ConditionVector> noSulfur = new ArrayList<>();
        List<ConditionVector> noHydrogen = new ArrayList<>();
        List<ConditionVector> hydrogen = new ArrayList<>();
        for (int t = 0; t < 20; t++) {
            noSulfur.add(new ConditionVector(3000, 0, 100, 0));
            noHydrogen.add(new ConditionVector(2900, 100, 0, 100));
            hydrogen.add(new ConditionVector(2900, 100, 250, 100));
        }
        SimulatedRun dry = simulator.simulate(new Schedule(noSulfur), 3);
        assertThat(dry.count(19, SiteState.REDUCED)).isGreaterThan(200);
        assertThat(dry.sulfidisedFraction(19)).isZero();
        double oxideWithout = simulator.summarise(new Schedule(noHydrogen), 8, 3, 2).steps().get(10).remainingOxide().mean();
        double oxideWith = simulator.summarise(new Schedule(hydrogen), 8, 3, 2).steps().get(10).remainingOxide().mean();
        assertThat(oxideWith).isLessThan(oxideWithout - 0.1);
    }

    @Test
    void randomWalkStartsUniformlyStaysInBoundsAndStepsWithTheGivenSpread() {
        RandomWalkScheduleGenerator generator = RandomWalkScheduleGenerator.PAPER;
        assertThat(generator.generate(42)).isEqualTo(generator.generate(42));
        assertThat(generator.generate(42)).isNotEqualTo(generator.generate(43));
        double sumStart = 0;
        double sumSquaredStep = 0;
        int interiorSteps = 0;
        int n = 2000;
        for (int i = 0; i < n; i++) {
            Schedule schedule = generator.generate(Seeds.derive(1, i));
            assertThat(schedule.length()).isEqualTo(20);
            sumStart += schedule.at(0).temperatureK();
            for (int t = 0; t < 20; t++) {
                assertThat(ConditionBounds.PAPER.contains(schedule.at(t))).isTrue();
            }
            for (int t = 1; t < 20; t++) {
                double before = schedule.at(t - 1).s2();
                double after = schedule.at(t).s2();
                if (after > 20 && after < 250 && before > 20 && before < 250) {
                    sumSquaredStep += (after - before) * (after - before);
                    interiorSteps++;
                }
            }
        }
        assertThat(sumStart / n).isBetween(2150.0, 2350.0); // uniform on [750, 3750]: mean 2250
        assertThat(Math.sqrt(sumSquaredStep / interiorSteps)).isBetween(18.0, 22.0);
    }

    @Test
    void rejectsSchedulesItCannotRun() {
        List<ConditionVector> steps = new ArrayList<>(CalibrationSchedules.reference().steps());
        steps.set(4, new ConditionVector(0, 100, 100, 100));
        assertThatThrownBy(() -> simulator.simulate(new Schedule(steps), 1))
                .isInstanceOfSatisfying(InvalidScheduleException.class, e -> {
                    assertThat(e.step()).isEqualTo(4);
                    assertThat(e.field()).isEqualTo("temperatureK");
                });
        steps.set(4, new ConditionVector(2000, 100, Double.NaN, 100));
        assertThatThrownBy(() -> simulator.simulate(new Schedule(steps), 1))
                .isInstanceOfSatisfying(InvalidScheduleException.class, e -> assertThat(e.field()).isEqualTo("h2"));
        steps.set(4, new ConditionVector(2000, 100, 100, -1));
        assertThatThrownBy(() -> simulator.simulate(new Schedule(steps), 1))
                .isInstanceOfSatisfying(InvalidScheduleException.class, e -> assertThat(e.field()).isEqualTo("h2s"));
        assertThatThrownBy(() -> simulator.simulate(new Schedule(List.of()), 1))
                .isInstanceOf(InvalidScheduleException.class);
    }

    @Test
    void extremeButValidConditionsGiveValidPhases() {
        List<ConditionVector> steps = new ArrayList<>();
        for (int t = 0; t < 20; t++) {
            steps.add(t % 2 == 0 ? new ConditionVector(1e9, 1e300, 1e300, 1e300) : new ConditionVector(1e-9, 0, 0, 0));
        }
        SimulatedRun run = simulator.simulate(new Schedule(steps), 1);
        for (int t = 0; t < 20; t++) {
            PhaseVector z = run.phases(t);
            assertThat(z.phase2H()).isBetween(0.0, 1.0);
            assertThat(z.phaseDefect()).isBetween(0.0, 1.0);
        }
    }

    @Test
    void bandsUseInterpolatedPercentiles() {
        double[] values = new double[21];
        for (int i = 0; i <= 20; i++) {
            values[20 - i] = i / 20.0;
        }
        Band band = Band.of(values);
        assertThat(band.mean()).isEqualTo(0.5, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(band.p5()).isEqualTo(0.05, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(band.p95()).isEqualTo(0.95, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(Band.of(new double[] {0.3})).isEqualTo(new Band(0.3, 0, 0.3, 0.3));
    }
}
