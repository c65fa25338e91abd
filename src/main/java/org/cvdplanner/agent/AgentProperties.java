package org.cvdplanner.agent;

import java.time.Duration;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the agent feature ({@code cvd-planner.agent.*}).
 *
 * @param threads threads that run episodes, proposals and analyses; 0 = all available processors
 * @param checkpointInterval how often a training job saves its checkpoint (policy + Adam state)
 * @param metricPoints about how many reward-curve points a training job reports as job metrics
 * @param maxEpisodes the most episodes one training job may ask for
 * @param maxAnalysisSchedules the most schedules one analysis may ask for
 * @param baselineRandomWalks random-walk schedules every trained agent is compared with
 * @param baselineAgentProposals agent proposals (random X_0) behind the comparison
 * @param baselineRollouts Monte-Carlo rollouts per schedule in the comparison
 * @param baselineSimulatorReplicas simulator replicas of each method's best schedule (0 = no simulator)
 * @param agentCacheSize deserialised agents kept in memory
 * @param baselineRefineFraction CEM refinement of the agent's best schedule, as a fraction of its
 *     training episodes (CEM and random walks get training + refinement episodes)
 */
@Validated
@ConfigurationProperties("cvd-planner.agent")
public record AgentProperties(@DefaultValue("0") @Min(0) @Max(256) int threads,
        @DefaultValue("15s") Duration checkpointInterval, @DefaultValue("200") @Min(1) int metricPoints,
        @DefaultValue("2000000") @Min(1) int maxEpisodes,
        @DefaultValue("20000") @Min(2) int maxAnalysisSchedules, @DefaultValue("1000") @Min(1) int baselineRandomWalks,
        @DefaultValue("256") @Min(1) int baselineAgentProposals, @DefaultValue("16") @Min(1) int baselineRollouts,
        @DefaultValue("16") @Min(0) int baselineSimulatorReplicas, @DefaultValue("8") @Min(1) int agentCacheSize,
        @DefaultValue("0.5") @DecimalMin("0") @DecimalMax("10") double baselineRefineFraction) {

    public int effectiveThreads() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }
}
