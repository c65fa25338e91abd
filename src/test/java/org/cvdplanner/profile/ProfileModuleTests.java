package org.cvdplanner.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.cvdplanner.TestDatabaseConfiguration;
import org.cvdplanner.job.ActiveJobs;
import org.cvdplanner.synthesis.ConditionVector;
import org.cvdplanner.synthesis.PhaseVector;
import org.cvdplanner.synthesis.ProfileArrays;
import org.cvdplanner.synthesis.Schedule;
import org.cvdplanner.synthesis.SynthesisProfile;
import org.cvdplanner.synthesis.Trajectory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

/** The profile module on its own: only its beans (and auto-configuration) against real PostgreSQL. */
@ApplicationModuleTest
@Import(TestDatabaseConfiguration.class)
// readiness names the job module's health contributor, which a profile-only context does not have
@TestPropertySource(properties = "management.endpoint.health.validate-group-membership=false")
class ProfileModuleTests {

    @Autowired
    Datasets datasets;

    /** The job module's API, which deletion asks whether a dataset is in use. */
    @MockitoBean
    ActiveJobs activeJobs;

    @Test
    void storesProfilesOnceAndLoadsThemInExternalIdOrder() {
        DatasetSummary dataset = datasets.create("module-test", null, "simulated", 2);
        List<SynthesisProfile> profiles = List.of(profile("b", 900), profile("a", 1000));
        assertThat(datasets.store(dataset.id(), profiles)).isEqualTo(new Datasets.StoreOutcome(2, 0));
        assertThat(datasets.store(dataset.id(), profiles)).isEqualTo(new Datasets.StoreOutcome(0, 2));
        ProfileArrays arrays = datasets.loadArrays(dataset.id());
        assertThat(arrays.externalIds()).containsExactly("a", "b");
        assertThat(arrays.conditions()[0]).isEqualTo(1000f);
    }

    private static SynthesisProfile profile(String id, double temperature) {
        return new SynthesisProfile(id, new Schedule(List.of(new ConditionVector(temperature, 10, 10, 10),
                new ConditionVector(temperature, 10, 10, 10))),
                new Trajectory(List.of(PhaseVector.INITIAL, PhaseVector.INITIAL)));
    }
}
