package org.cvdplanner.simulation;

import java.util.List;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.cvdplanner.synthesis.Schedule;

/**
 * The parameters of a simulation campaign job (type {@value #JOB_TYPE}), stored with the job.
 * The campaign's seed is the job's seed. Other features may submit one through
 * {@code JobSubmitter.submit(SimulationCampaignParameters.JOB_TYPE, parameters, seed, key)}.
 *
 * @param datasetId the dataset that receives the profiles (its step count fixes the schedule length)
 * @param count profiles to generate; with GIVEN schedules it defaults to (and must equal)
 *     schedules × replicasPerSchedule
 * @param scheduleSource RANDOM_WALK (default) or GIVEN
 * @param schedules the GIVEN schedules (absent for RANDOM_WALK)
 * @param replicasPerSchedule stochastic replicas of each GIVEN schedule (default 1; 1 for RANDOM_WALK)
 */
public record SimulationCampaignParameters(@NotNull Long datasetId, @Min(1) Integer count,
        ScheduleSource scheduleSource, List<Schedule> schedules, @Min(1) Integer replicasPerSchedule) {

    public static final String JOB_TYPE = "simulation-campaign";

    public SimulationCampaignParameters {
        scheduleSource = scheduleSource == null ? ScheduleSource.RANDOM_WALK : scheduleSource;
        replicasPerSchedule = replicasPerSchedule == null ? 1 : replicasPerSchedule;
        schedules = schedules == null || schedules.isEmpty() ? null : List.copyOf(schedules);
        if (count == null && scheduleSource == ScheduleSource.GIVEN && schedules != null) {
            count = (int) Math.min(Integer.MAX_VALUE, (long) schedules.size() * replicasPerSchedule);
        }
    }

    /** {@code count} random-walk profiles into the dataset. */
    public static SimulationCampaignParameters randomWalk(long datasetId, int count) {
        return new SimulationCampaignParameters(datasetId, count, ScheduleSource.RANDOM_WALK, null, 1);
    }

    /** Each schedule {@code replicas} times into the dataset. */
    public static SimulationCampaignParameters given(long datasetId, List<Schedule> schedules, int replicas) {
        return new SimulationCampaignParameters(datasetId, null, ScheduleSource.GIVEN, schedules, replicas);
    }
}
