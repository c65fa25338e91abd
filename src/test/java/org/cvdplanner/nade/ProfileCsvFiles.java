package org.cvdplanner.nade;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.cvdplanner.synthesis.ProfileArrays;

/**
 * The service's long profile CSV ({@code profile_id,t,temperature_k,s2,h2,h2s,phase_2h,phase_1t,
 * phase_defect}, plain or .gz) as {@link ProfileArrays}, for benchmarks and evaluations that read
 * a dataset file (an export, or a realistic sample kept outside the repository).
 */
public final class ProfileCsvFiles {

    private ProfileCsvFiles() {
    }

    /** Reads the long CSV (profiles in file order, steps in t order within each profile). */
    public static ProfileArrays read(Path file) throws IOException {
        List<String> ids = new ArrayList<>();
        List<float[]> x = new ArrayList<>();
        List<float[]> z = new ArrayList<>();
        int steps = -1;
        String current = null;
        List<CSVRecord> rows = new ArrayList<>();
        try (InputStream raw = Files.newInputStream(file);
                InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
            for (CSVRecord r : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader)) {
                String id = r.get("profile_id");
                if (!id.equals(current)) {
                    if (current != null) {
                        steps = flush(current, rows, steps, ids, x, z);
                    }
                    current = id;
                    rows.clear();
                }
                rows.add(r);
            }
        }
        if (current != null) {
            steps = flush(current, rows, steps, ids, x, z);
        }
        float[] conditions = new float[ids.size() * steps * 4];
        float[] phases = new float[ids.size() * steps * 3];
        for (int p = 0; p < ids.size(); p++) {
            System.arraycopy(x.get(p), 0, conditions, p * steps * 4, steps * 4);
            System.arraycopy(z.get(p), 0, phases, p * steps * 3, steps * 3);
        }
        return new ProfileArrays(ids, steps, conditions, phases);
    }

    private static int flush(String id, List<CSVRecord> rows, int steps, List<String> ids, List<float[]> x,
            List<float[]> z) {
        if (steps >= 0 && rows.size() != steps) {
            throw new IllegalArgumentException("profile " + id + " has " + rows.size() + " steps, others " + steps);
        }
        float[] xs = new float[rows.size() * 4];
        float[] zs = new float[rows.size() * 3];
        String[] cond = {"temperature_k", "s2", "h2", "h2s"};
        String[] phase = {"phase_2h", "phase_1t", "phase_defect"};
        for (CSVRecord r : rows) {
            int t = Integer.parseInt(r.get("t"));
            for (int c = 0; c < 4; c++) {
                xs[t * 4 + c] = Float.parseFloat(r.get(cond[c]));
            }
            for (int k = 0; k < 3; k++) {
                zs[t * 3 + k] = Float.parseFloat(r.get(phase[k]));
            }
        }
        ids.add(id);
        x.add(xs);
        z.add(zs);
        return rows.size();
    }

    /** Writes profiles in the same long CSV. */
    public static void write(ProfileArrays data, Path file) throws IOException {
        try (java.io.Writer w = Files.newBufferedWriter(file)) {
            w.write("profile_id,t,temperature_k,s2,h2,h2s,phase_2h,phase_1t,phase_defect\n");
            for (int p = 0; p < data.profileCount(); p++) {
                for (int t = 0; t < data.steps(); t++) {
                    w.write(data.externalIds().get(p) + "," + t + "," + data.condition(p, t, 0) + ","
                            + data.condition(p, t, 1) + "," + data.condition(p, t, 2) + "," + data.condition(p, t, 3)
                            + "," + data.phase(p, t, 0) + "," + data.phase(p, t, 1) + "," + data.phase(p, t, 2) + "\n");
                }
            }
        }
    }
}
