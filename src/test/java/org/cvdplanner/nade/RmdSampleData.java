package org.cvdplanner.nade;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

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
        List<String> ids = new ArrayList<>();
        List<float[]> rows = new ArrayList<>();
        int steps = -1;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file), 1 << 16), StandardCharsets.UTF_8))) {
            String header = in.readLine();
            if (header == null || !header.startsWith("profile_id,t,temperature_k,s2,h2,h2s,phase_2h,phase_1t,phase_defect")) {
                throw new IllegalStateException("unexpected header " + header);
            }
            String line;
            String current = null;
            int t = 0;
            while ((line = in.readLine()) != null) {
                String[] f = line.split(",");
                if (!f[0].equals(current)) {
                    if (current != null) {
                        steps = checkSteps(steps, t, current);
                    }
                    current = f[0];
                    ids.add(current);
                    t = 0;
                }
                float[] r = new float[7];
                for (int j = 0; j < 7; j++) {
                    r[j] = Float.parseFloat(f[j + 2]);
                }
                rows.add(r);
                t++;
            }
            steps = checkSteps(steps, t, current);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int n = ids.size();
        float[] x = new float[n * steps * 4];
        float[] z = new float[n * steps * 3];
        for (int i = 0; i < rows.size(); i++) {
            float[] r = rows.get(i);
            System.arraycopy(r, 0, x, i * 4, 4);
            System.arraycopy(r, 4, z, i * 3, 3);
        }
        return new ProfileArrays(ids, steps, x, z);
    }

    private static int checkSteps(int steps, int t, String id) {
        if (steps >= 0 && steps != t) {
            throw new IllegalStateException("profile " + id + " has " + t + " steps, expected " + steps);
        }
        return t;
    }
}
