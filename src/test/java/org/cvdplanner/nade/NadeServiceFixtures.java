package org.cvdplanner.nade;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.cvdplanner.profile.Datasets;
import org.cvdplanner.synthesis.ProfileArrays;
import org.cvdplanner.synthesis.SynthesisProfile;
import org.springframework.jdbc.core.JdbcTemplate;

/** Datasets, schedules and clean-up for the NADE service tests (HTTP: {@link org.cvdplanner.testkit.TestHttp}). */
final class NadeServiceFixtures {


    private NadeServiceFixtures() {
    }

    /** A dataset of {@code count} synthetic 20-step profiles. */
    static long dataset(Datasets datasets, String name, int count, long seed) {
        long id = datasets.create(name + "-" + UUID.randomUUID(), "NADE test data", "UPLOAD", 20).id();
        ProfileArrays arrays = SyntheticProfiles.generate(count, 20, seed);
        List<SynthesisProfile> profiles = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            profiles.add(arrays.profile(p));
        }
        datasets.store(id, profiles);
        return id;
    }

    static void clean(JdbcTemplate jdbc, long datasetId) {
        jdbc.update("delete from nade_model where dataset_id = ?", datasetId);
        jdbc.update("delete from dataset where id = ?", datasetId);
    }

    /** A 20-step schedule as JSON; {@code temperature} for every step. */
    static String schedule(double temperature, double s2) {
        return schedule(temperature, s2, 20);
    }

    /** A schedule of {@code steps} steps as JSON: {@code temperature} for steps 0-7, then 2000 K. */
    static String schedule(double temperature, double s2, int steps) {
        StringBuilder b = new StringBuilder("{\"steps\":[");
        for (int t = 0; t < steps; t++) {
            if (t > 0) {
                b.append(',');
            }
            b.append(String.format(java.util.Locale.ROOT, "{\"temperatureK\":%s,\"s2\":%s,\"h2\":100,\"h2s\":100}",
                    t < 8 ? temperature : 2000.0, s2));
        }
        return b.append("]}").toString();
    }
}
