package org.cvdplanner.simulation;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the simulator's service side ({@code cvd-planner.simulation.*}). The model's own
 * constants are not settings: they are {@link SimulatorConstants#DEFAULT}, calibrated by tests.
 *
 * @param threads threads one campaign chunk or one validation request uses (0: all available
 *     processors)
 * @param chunkSize profiles a campaign simulates and stores per transaction (and per checkpoint)
 * @param maxCampaignProfiles the most profiles one campaign may ask for
 * @param maxCampaignSchedules the most given schedules one campaign may carry (they are stored
 *     with the job)
 * @param maxReplicas the most replicas per schedule (validation requests and campaigns)
 * @param maxRunsPerRequest the most lattice runs (schedules × replicas) of one synchronous
 *     validation request
 * @param maxSchedulesPerRequest the most schedules of one validation request
 * @param maxSteps the longest schedule (steps)
 * @param maxTemperatureK sanity bound on temperatures (the model needs T &gt; 0; the paper's range ends at 3750 K)
 * @param maxGas sanity bound on gas amounts (molecules; the paper's range ends at 250)
 */
@Validated
@ConfigurationProperties("cvd-planner.simulation")
record SimulatorProperties(
        @DefaultValue("0") @Min(0) @Max(256) int threads,
        @DefaultValue("500") @Min(1) @Max(100_000) int chunkSize,
        @DefaultValue("1000000") @Min(1) int maxCampaignProfiles,
        @DefaultValue("10000") @Min(1) int maxCampaignSchedules,
        @DefaultValue("1000") @Min(1) int maxReplicas,
        @DefaultValue("20000") @Min(1) int maxRunsPerRequest,
        @DefaultValue("100") @Min(1) int maxSchedulesPerRequest,
        @DefaultValue("1000") @Min(2) int maxSteps,
        @DefaultValue("100000") double maxTemperatureK,
        @DefaultValue("1000000") double maxGas) {

    int effectiveThreads() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }
}
