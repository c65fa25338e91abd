package org.cvdplanner.agent;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.cvdplanner.nade.NadeHyperParameters;
import org.cvdplanner.nade.NadeModel;
import org.cvdplanner.nade.NadeTrainer;
import org.cvdplanner.nade.NadeTrainingListener;
import org.cvdplanner.simulation.CvdSimulator;
import org.cvdplanner.simulation.RandomWalkScheduleGenerator;
import org.cvdplanner.simulation.SimulatedRun;
import org.cvdplanner.synthesis.ProfileArrays;
import org.cvdplanner.synthesis.SynthesisProfile;

/**
 * One small NADE-CVD model per test JVM: trained for a few epochs on 800 random-walk profiles of
 * the built-in simulator. Crude, but it has learnt that hot-then-moderate temperatures make 2H,
 * which is all the agent's tests need.
 */
final class AgentTestModels {

    private static NadeModel nade;

    private AgentTestModels() {
    }

    static synchronized NadeModel nade() {
        if (nade == null) {
            int n = 800;
            ProfileArrays all = simulatorProfiles(n);
            int validation = 100;
            nade = new NadeTrainer(NadeHyperParameters.defaults().withEpochs(16).withEarlyStoppingPatience(0).withSeed(3)
                    .withLearningRate(1e-3, NadeHyperParameters.LearningRateSchedule.CONSTANT))
                    .train(slice(all, 0, n - validation), slice(all, n - validation, n), NadeTrainingListener.NONE);
        }
        return nade;
    }

    /** {@code n} random-walk profiles of the built-in simulator (the paper's generator, seed 7). */
    static ProfileArrays simulatorProfiles(int n) {
        List<SimulatedRun> runs = CvdSimulator.DEFAULT.simulateRandomWalks(RandomWalkScheduleGenerator.PAPER, 7, 0, n, 2);
        List<SynthesisProfile> profiles = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            profiles.add(runs.get(i).toProfile(String.format("test-%04d", i)));
        }
        return ProfileArrays.of(profiles);
    }

    static ProfileArrays slice(ProfileArrays data, int from, int to) {
        int s = data.steps();
        return new ProfileArrays(data.externalIds().subList(from, to), s,
                Arrays.copyOfRange(data.conditions(), from * s * 4, to * s * 4),
                Arrays.copyOfRange(data.phases(), from * s * 3, to * s * 3));
    }
}
