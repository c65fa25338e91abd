package org.cvdplanner.nade;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.cvdplanner.synthesis.ProfileArrays;

/**
 * The realistic sample (shared data folder, {@code rmd-sample.csv.gz}, long CSV
 * {@code profile_id,t,temperature_k,s2,h2,h2s,phase_2h,phase_1t,phase_defect}) as train /
 * validation / test {@link ProfileArrays}, split by profile with a seeded shuffle (10 % / 10 %).
 * Benchmarks only: the test suite never needs the file.
 */
record RmdSampleData(ProfileArrays train, ProfileArrays validation, ProfileArrays test) {

    static final Path DEFAULT_FILE = Path.of("..", "shared", "data", "rmd-sample.csv.gz");

    static RmdSampleData load(Path file, long splitSeed) {
        if (!Files.exists(file)) {
            throw new IllegalStateException("realistic sample not found at " + file.toAbsolutePath()
                    + " (pass data=<path to rmd-sample.csv.gz>)");
        }
        ProfileArrays all = read(file);
        int n = all.profileCount();
        int[] order = NadeTrainer.permutation(n, splitSeed, 0);
        int nTest = (int) Math.round(n * 0.1);
        int nVal = (int) Math.round(n * 0.1);
        int nTrain = n - nTest - nVal;
        return new RmdSampleData(NadeBenchmarkData.select(all, order, 0, nTrain),
                NadeBenchmarkData.select(all, order, nTrain, nTrain + nVal),
                NadeBenchmarkData.select(all, order, nTrain + nVal, n));
    }

    static ProfileArrays read(Path file) {
        try {
            return ProfileCsvFiles.read(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
