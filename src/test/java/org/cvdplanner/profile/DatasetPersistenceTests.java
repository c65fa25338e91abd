package org.cvdplanner.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.cvdplanner.TestDatabaseConfiguration;
import org.cvdplanner.synthesis.ProfileArrays;
import org.cvdplanner.synthesis.SynthesisProfile;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.context.annotation.Import;

/** Persistence slice on real PostgreSQL: the dataset repository and the COPY-based profile store. */
@DataJpaTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@Import({TestDatabaseConfiguration.class, ProfileStore.class})
class DatasetPersistenceTests {

    @Autowired
    DatasetRepository datasets;
    @Autowired
    ProfileStore profiles;

    static SynthesisProfile profile(String id, long seed) {
        double[][] steps = ProfileFixtures.steps(seed, 20);
        var validator = new ProfileValidator(20, PhaseUnit.FRACTION, 0.01);
        List<ProfileStep> s = java.util.Arrays.stream(steps)
                .map(r -> new ProfileStep((int) r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7])).toList();
        return validator.check(id, id, s).profile();
    }

    @Test
    void copiesProfilesInAndLoadsThemBackExactly() {
        DatasetEntity dataset = datasets.saveAndFlush(new DatasetEntity("slice", null, "UPLOAD", 20));
        List<SynthesisProfile> written = List.of(profile("b", 1), profile("a", 2), profile("we\\ird id", 3));
        profiles.insert(dataset.getId(), written, written.stream().map(ProfileContentHash::of).toList());

        assertThat(profiles.count(dataset.getId())).isEqualTo(3);
        assertThat(profiles.find(dataset.getId(), "b")).contains(written.get(0));
        assertThat(profiles.find(dataset.getId(), "we\\ird id")).contains(written.get(2));
        ProfileArrays arrays = profiles.loadArrays(dataset.getId(), 20);
        assertThat(arrays.externalIds()).containsExactly("a", "b", "we\\ird id");
        assertThat(arrays.condition(1, 5, 0)).isEqualTo((float) written.get(0).schedule().at(5).temperatureK());
        assertThat(arrays.phase(0, 19, 2)).isEqualTo((float) written.get(1).trajectory().at(19).phaseDefect());
        assertThat(profiles.existingHashes(dataset.getId(), List.of("a", "zzz"))).containsOnlyKeys("a");
    }

    @Test
    void theDatabaseRefusesASecondProfileWithTheSameExternalId() {
        DatasetEntity dataset = datasets.saveAndFlush(new DatasetEntity("unique", null, "UPLOAD", 20));
        SynthesisProfile p = profile("same", 1);
        profiles.insert(dataset.getId(), List.of(p), List.of(ProfileContentHash.of(p)));
        assertThatThrownBy(() -> profiles.insert(dataset.getId(), List.of(p), List.of(ProfileContentHash.of(p))))
                .hasStackTraceContaining("profile_external_id_unique");
    }
}
