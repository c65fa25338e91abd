package org.cvdplanner.nade;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the NADE feature ({@code cvd-planner.nade.*}).
 *
 * @param maxRollouts the most Monte-Carlo rollouts one prediction request may ask for
 * @param maxPredictionRows the most schedules x rollouts in one prediction request (bounds its time)
 * @param maxSchedules the most schedules in one prediction request
 * @param defaultRollouts rollouts when a prediction request names none
 * @param evaluationRollouts rollouts per test profile behind a trained model's autoregressive metrics
 * @param modelCacheSize deserialised models kept in memory
 * @param warmUp load ND4J when the service starts rather than on the first request
 * @param maxScheduleSteps the most steps of a schedule to predict (longer than the model's
 *     training profiles is allowed: those steps are flagged as extrapolated)
 * @param calibrationRollouts rollouts per validation profile when fitting a model's band calibration
 * @param calibrationProfiles the most validation profiles a band calibration uses
 */
@Validated
@ConfigurationProperties("cvd-planner.nade")
public record NadeProperties(@DefaultValue("4096") @Min(1) @Max(100_000) int maxRollouts,
        @DefaultValue("65536") @Min(1) int maxPredictionRows, @DefaultValue("1000") @Min(1) int maxSchedules,
        @DefaultValue("64") @Min(2) int defaultRollouts, @DefaultValue("64") @Min(2) @Max(4096) int evaluationRollouts,
        @DefaultValue("8") @Min(1) int modelCacheSize, @DefaultValue("true") boolean warmUp,
        @DefaultValue("200") @Min(2) @Max(10_000) int maxScheduleSteps,
        @DefaultValue("32") @Min(2) @Max(4096) int calibrationRollouts,
        @DefaultValue("1000") @Min(1) int calibrationProfiles) {
}
