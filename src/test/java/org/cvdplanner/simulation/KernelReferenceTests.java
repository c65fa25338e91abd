package org.cvdplanner.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.cvdplanner.synthesis.ConditionVector;
import org.cvdplanner.synthesis.Schedule;
import org.junit.jupiter.api.Test;

/**
 * The optimised kernel (padded lattice, packed codes, sliding window, branch-free table update,
 * skipped frozen steps) against a plain transcription of the model's definition: for every
 * sub-step and every site in row-major order, count the neighbours through {@link Lattice}, work
 * out the exit probabilities from the constants, and compare with 32 random bits (two sites per
 * SplitMix64 draw, high half first). Both must give the same state counts at every step, bit
 * for bit.
 */
class KernelReferenceTests {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    @Test
    void optimisedKernelEqualsTheStraightforwardModel() {
        List<Schedule> schedules = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            schedules.add(RandomWalkScheduleGenerator.PAPER.generate(Seeds.derive(12, i)));
        }
        schedules.add(CalibrationSchedules.reference());
        schedules.add(CalibrationSchedules.constant(3700));
        List<ConditionVector> coldThenHot = new ArrayList<>();
        for (int t = 0; t < 20; t++) {
            coldThenHot.add(t < 6 ? new ConditionVector(900, 100, 100, 100) : new ConditionVector(3300, 50, 200, 20));
        }
        schedules.add(new Schedule(coldThenHot)); // frozen steps first: skipped by the kernel
        for (int i = 0; i < schedules.size(); i++) {
            long seed = Seeds.derive(34, i);
            SimulatedRun run = CvdSimulator.DEFAULT.simulate(schedules.get(i), seed);
            int[][] expected = reference(SimulatorConstants.DEFAULT, schedules.get(i), seed);
            for (int t = 0; t < run.steps(); t++) {
                for (SiteState state : SiteState.values()) {
                    assertThat(run.count(t, state)).as("schedule %d, step %d, %s", i, t, state)
                            .isEqualTo(expected[t][state.ordinal()]);
                }
            }
        }
    }

    /** The model, written for clarity: state counts per step. */
    static int[][] reference(SimulatorConstants k, Schedule schedule, long seed) {
        int sites = Lattice.SITES;
        int[] state = new int[sites]; // all OXIDE (0)
        int[][] counts = new int[schedule.length()][SiteState.COUNT];
        counts[0][SiteState.OXIDE.ordinal()] = sites;
        long random = Seeds.mix64(seed);
        double dt = k.subStepNs();
        for (int t = 0; t + 1 < schedule.length(); t++) {
            ConditionVector x = schedule.at(t);
            double cS2 = x.s2() / k.gasScale();
            double cH2 = x.h2() / k.gasScale();
            double cH2S = x.h2s() / k.gasScale();
            double temperature = x.temperatureK();
            for (int sub = 0; sub < k.subStepsPerStep(); sub++) {
                int[] next = state.clone();
                for (int i = 0; i < sites; i += 2) {
                    long z = random += GOLDEN_GAMMA;
                    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
                    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
                    z ^= z >>> 31;
                    next[i] = step(k, state, i, z >>> 32, temperature, cS2, cH2, cH2S, dt);
                    next[i + 1] = step(k, state, i + 1, z & 0xFFFFFFFFL, temperature, cS2, cH2, cH2S, dt);
                }
                state = next;
            }
            for (int s : state) {
                counts[t + 1][s]++;
            }
        }
        return counts;
    }

    private static int step(SimulatorConstants k, int[] state, int site, long u, double temperature, double cS2,
            double cH2, double cH2S, double dt) {
        int crystalline = 0;
        int twoH = 0;
        for (int n = 0; n < Lattice.NEIGHBOURS; n++) {
            int neighbour = state[Lattice.NEIGHBOUR[site * Lattice.NEIGHBOURS + n]];
            crystalline += neighbour >= SiteState.PHASE_1T.ordinal() ? 1 : 0;
            twoH += neighbour == SiteState.PHASE_2H.ordinal() ? 1 : 0;
        }
        SiteState s = SiteState.of(state[site]);
        switch (s) {
            case OXIDE -> {
                double rate = k.reduction().rate(temperature) * (1 + k.reductionH2Gain() * cH2)
                        / (1 + k.reductionS2Suppression() * cS2);
                return u < threshold(probability(rate, dt)) ? SiteState.REDUCED.ordinal() : state[site];
            }
            case REDUCED -> {
                double rate = k.sulfidation().rate(temperature) * (cS2 + k.sulfidationH2sWeight() * cH2S);
                return u < threshold(probability(rate, dt)) ? SiteState.AMORPHOUS.ordinal() : state[site];
            }
            case AMORPHOUS -> {
                double rate = k.nucleation1T().rate(temperature) * (1 + k.nucleationNeighbourGain() * crystalline);
                return u < threshold(probability(rate, dt)) ? SiteState.PHASE_1T.ordinal() : state[site];
            }
            case PHASE_1T -> {
                double to2H = k.crystallisation2H().rate(temperature) * (1 + k.crystallisationNeighbourGain() * twoH);
                double toAmorphous = k.disordering1TFactor() * k.disordering().rate(temperature);
                double exit = probability(to2H + toAmorphous, dt);
                double p2H = exit * (to2H / (to2H + toAmorphous));
                if (u < threshold(p2H)) {
                    return SiteState.PHASE_2H.ordinal();
                }
                return u < threshold(exit) ? SiteState.AMORPHOUS.ordinal() : state[site];
            }
            case PHASE_2H -> {
                return u < threshold(probability(k.disordering().rate(temperature), dt)) ? SiteState.AMORPHOUS.ordinal()
                        : state[site];
            }
            default -> throw new IllegalStateException();
        }
    }

    private static double probability(double rate, double dt) {
        return rate > 0 ? -StrictMath.expm1(-rate * dt) : 0;
    }

    private static long threshold(double p) {
        return p > 0 ? Math.min(0xFFFFFFFFL, (long) (p * 4294967296.0)) : 0;
    }
}
