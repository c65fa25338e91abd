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

    static final ProfileProperties DEFAULTS = new ProfileProperties(org.springframework.util.unit.DataSize.ofMegabytes(256),
            1000, 0.01, 10_000, 100_000, 1_000_000, 1000);

    /** Streams the profiles through an upload, as the service does; returns how many were new. */
    int insert(long datasetId, List<SynthesisProfile> written) {
        try (ProfileStore.Upload upload = profiles.startUpload(datasetId)) {
            written.forEach(p -> upload.add(p, ProfileContentHash.of(p)));
            return upload.finish();
        }
    }

    static SynthesisProfile profile(String id, long seed) {
        double[][] steps = ProfileFixtures.steps(seed, 20);
        var validator = new ProfileValidator(20, PhaseUnit.FRACTION, DEFAULTS);
        List<ProfileStep> s = java.util.Arrays.stream(steps)
                .map(r -> new ProfileStep((int) r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7])).toList();
        return validator.check(id, id, s).profile();
    }

    @Test
    void copiesProfilesInAndLoadsThemBackExactly() {
        DatasetEntity dataset = datasets.saveAndFlush(new DatasetEntity("slice", null, "UPLOAD", 20));
        List<SynthesisProfile> written = List.of(profile("b", 1), profile("a", 2), profile("we\\ird id", 3));
        assertThat(insert(dataset.getId(), written)).isEqualTo(3);

        assertThat(profiles.count(dataset.getId())).isEqualTo(3);
        assertThat(profiles.find(dataset.getId(), "b")).contains(written.get(0));
        assertThat(profiles.find(dataset.getId(), "we\\ird id")).contains(written.get(2));
        ProfileArrays arrays = profiles.loadArrays(dataset.getId(), 20);
        assertThat(arrays.externalIds()).containsExactly("a", "b", "we\\ird id");
        assertThat(arrays.condition(1, 5, 0)).isEqualTo((float) written.get(0).schedule().at(5).temperatureK());
        assertThat(arrays.phase(0, 19, 2)).isEqualTo((float) written.get(1).trajectory().at(19).phaseDefect());
        assertThat(profiles.lockDataset(dataset.getId())).contains(20);
        assertThat(profiles.lockDataset(dataset.getId() + 1000)).isEmpty();
    }

    @Test
    void aStoredIdIsSkippedWithTheSameContentAndAConflictWithOther() {
        DatasetEntity dataset = datasets.saveAndFlush(new DatasetEntity("unique", null, "UPLOAD", 20));
        SynthesisProfile p = profile("same", 1);
        assertThat(insert(dataset.getId(), List.of(p))).isEqualTo(1);
        assertThat(insert(dataset.getId(), List.of(p, profile("other", 2)))).isEqualTo(1);
        assertThat(profiles.count(dataset.getId())).isEqualTo(2);
        assertThatThrownBy(() -> insert(dataset.getId(), List.of(profile("same", 3))))
                .isInstanceOf(ProfileConflictException.class).hasMessageContaining("same");
    }
}
