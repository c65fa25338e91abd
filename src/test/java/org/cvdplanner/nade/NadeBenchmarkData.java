package org.cvdplanner.nade;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.cvdplanner.simulation.CvdSimulator;
import org.cvdplanner.simulation.RandomWalkScheduleGenerator;
import org.cvdplanner.simulation.SimulatedRun;
import org.cvdplanner.synthesis.ProfileArrays;
import org.cvdplanner.synthesis.SynthesisProfile;

/**
 * Simulator profiles for benchmarks: a random-walk campaign (the paper's generator) split into
 * train / validation / test by profile with a seeded shuffle, cached under target/ so repeated
 * runs do not re-simulate.
 */
record NadeBenchmarkData(ProfileArrays train, ProfileArrays validation, ProfileArrays test, long campaignSeed) {

    static NadeBenchmarkData load(int profiles, long campaignSeed, double validationFraction, double testFraction) {
        ProfileArrays all = simulate(profiles, campaignSeed);
        int[] order = NadeTrainer.permutation(profiles, campaignSeed, 0);
        int nTest = (int) Math.round(profiles * testFraction);
        int nVal = (int) Math.round(profiles * validationFraction);
        int nTrain = profiles - nTest - nVal;
        return new NadeBenchmarkData(select(all, order, 0, nTrain), select(all, order, nTrain, nTrain + nVal),
                select(all, order, nTrain + nVal, profiles), campaignSeed);
    }

    static ProfileArrays select(ProfileArrays all, int[] order, int from, int to) {
        int s = all.steps();
        float[] x = new float[(to - from) * s * 4];
        float[] z = new float[(to - from) * s * 3];
        List<String> ids = new ArrayList<>();
        for (int i = from; i < to; i++) {
            int p = order[i];
            System.arraycopy(all.conditions(), p * s * 4, x, (i - from) * s * 4, s * 4);
            System.arraycopy(all.phases(), p * s * 3, z, (i - from) * s * 3, s * 3);
            ids.add(all.externalIds().get(p));
        }
        return new ProfileArrays(ids, s, x, z);
    }

    static ProfileArrays simulate(int profiles, long campaignSeed) {
        Path cache = Path.of("target", "nade-bench", "sim-" + profiles + "-" + campaignSeed + ".bin");
        try {
            if (Files.exists(cache)) {
                return read(cache, profiles, campaignSeed);
            }
            long t0 = System.nanoTime();
            List<SimulatedRun> runs = CvdSimulator.DEFAULT.simulateRandomWalks(RandomWalkScheduleGenerator.PAPER,
                    campaignSeed, 0, profiles, 2);
            List<SynthesisProfile> list = new ArrayList<>(profiles);
            for (int i = 0; i < runs.size(); i++) {
                list.add(runs.get(i).toProfile(String.format("rw-%06d", i)));
            }
            ProfileArrays arrays = ProfileArrays.of(list);
            System.out.printf("simulated %d profiles in %.1f s%n", profiles, (System.nanoTime() - t0) / 1e9);
            Files.createDirectories(cache.getParent());
            ByteBuffer buffer = ByteBuffer.allocate((arrays.conditions().length + arrays.phases().length) * 4)
                    .order(ByteOrder.LITTLE_ENDIAN);
            buffer.asFloatBuffer().put(arrays.conditions()).put(arrays.phases());
            Files.write(cache, buffer.array());
            return arrays;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ProfileArrays read(Path cache, int profiles, long campaignSeed) throws IOException {
        int steps = RandomWalkScheduleGenerator.PAPER.steps();
        float[] x = new float[profiles * steps * 4];
        float[] z = new float[profiles * steps * 3];
        ByteBuffer.wrap(Files.readAllBytes(cache)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(x).get(z);
        List<String> ids = new ArrayList<>(profiles);
        for (int i = 0; i < profiles; i++) {
            ids.add(String.format("rw-%06d", i));
        }
        return new ProfileArrays(ids, steps, x, z);
    }
}
