package org.cvdplanner.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.when;

import java.util.Optional;

import org.cvdplanner.TestDatabaseConfiguration;
import org.cvdplanner.job.InvalidJobParametersException;
import org.cvdplanner.job.JobSubmitter;
import org.cvdplanner.profile.Datasets;
import org.cvdplanner.synthesis.Schedule;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

/**
 * The simulation module on its own: its beans only, the profile and job modules' APIs mocked.
 * Shows that the module needs nothing of theirs beyond {@link Datasets} and {@link JobSubmitter}.
 */
@ApplicationModuleTest
@Import(TestDatabaseConfiguration.class)
// readiness names the job module's health contributor, which this context does not have
@TestPropertySource(properties = "management.endpoint.health.validate-group-membership=false")
class SimulationModuleTests {

    @MockitoBean
    Datasets datasets;

    @MockitoBean
    JobSubmitter jobs;

    @Autowired
    SimulatorService simulator;

    @Autowired
    SimulationCampaignJob campaigns;

    @Test
    void runsAScheduleIntoOneSummaryPerStep() {
        Schedule schedule = CalibrationSchedules.reference();
        ReplicaSummary summary = simulator.run(schedule, 4, 11);
        assertThat(summary.steps()).hasSize(schedule.steps().size());
        assertThat(summary.replicas()).isEqualTo(4);
        ReplicaSummary.StepSummary last = summary.steps().get(summary.steps().size() - 1);
        assertThat(last.phase2H().mean() + last.phase1T().mean() + last.phaseDefect().mean()).isCloseTo(1.0,
                org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void refusesACampaignIntoADatasetThatDoesNotExistNamingTheField() {
        when(datasets.find(99L)).thenReturn(Optional.empty());
        assertThatThrownBy(() -> campaigns.validate(new SimulationCampaignParameters(99L, 10, null, null, null)))
                .isInstanceOfSatisfying(InvalidJobParametersException.class,
                        e -> assertThat(e.field()).isEqualTo("datasetId"));
    }
}
