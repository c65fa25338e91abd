package org.cvdplanner.profile;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/** Valid profiles in the three upload formats, deterministic per seed. */
final class ProfileFixtures {

    private ProfileFixtures() {
    }

    /** steps[t] = {t, T, s2, h2, h2s, 2H, 1T, defect}. */
    static double[][] steps(long seed, int n) {
        Random random = new Random(seed);
        double[][] steps = new double[n][];
        double h = 0;
        double o = 0;
        for (int t = 0; t < n; t++) {
            double twoH = t == 0 ? 0 : Math.min(0.9, h);
            double oneT = t == 0 ? 0 : Math.min(1 - twoH, o);
            steps[t] = new double[] {t, 750 + random.nextDouble() * 3000, 20 + random.nextInt(230), 20 + random.nextInt(230),
                    20 + random.nextInt(180), twoH, oneT, 1 - twoH - oneT};
            h += random.nextDouble() * 0.05;
            o = random.nextDouble() * 0.1;
        }
        return steps;
    }

    static String json(String id, double[][] steps) {
        StringBuilder b = new StringBuilder("{\"externalId\":\"").append(id).append("\",\"steps\":[");
        for (int t = 0; t < steps.length; t++) {
            double[] s = steps[t];
            if (t > 0) {
                b.append(',');
            }
            b.append(String.format(Locale.ROOT,
                    "{\"t\":%d,\"temperatureK\":%s,\"s2\":%s,\"h2\":%s,\"h2s\":%s,\"phase2H\":%s,\"phase1T\":%s,\"phaseDefect\":%s}",
                    (int) s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]));
        }
        return b.append("]}").toString();
    }

    static String jsonArray(List<String> ids, long seed) {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            items.add(json(ids.get(i), steps(seed + i, 20)));
        }
        return "[" + String.join(",", items) + "]";
    }

    static String ndjson(List<String> ids, long seed) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < ids.size(); i++) {
            b.append(json(ids.get(i), steps(seed + i, 20))).append('\n');
        }
        return b.toString();
    }

    static String csvHeader() {
        return "profile_id,t,temperature_k,s2,h2,h2s,phase_2h,phase_1t,phase_defect\n";
    }

    static String csvRows(String id, double[][] steps) {
        StringBuilder b = new StringBuilder();
        for (double[] s : steps) {
            b.append(id).append(',').append((int) s[0]);
            for (int k = 1; k < 8; k++) {
                b.append(',').append(s[k]);
            }
            b.append('\n');
        }
        return b.toString();
    }

    static String csv(List<String> ids, long seed) {
        StringBuilder b = new StringBuilder(csvHeader());
        for (int i = 0; i < ids.size(); i++) {
            b.append(csvRows(ids.get(i), steps(seed + i, 20)));
        }
        return b.toString();
    }

    static List<String> ids(String prefix, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(prefix + "-" + i);
        }
        return ids;
    }
}
