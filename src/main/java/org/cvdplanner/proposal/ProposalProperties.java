package org.cvdplanner.proposal;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Limits of proposal requests ({@code cvd-planner.proposals.*}).
 *
 * @param maxProposals the most proposals one request may ask for
 * @param defaultRollouts NADE Monte-Carlo rollouts per proposal when a request names none
 * @param maxForecastRows the most proposals × rollouts in one request (bounds its time)
 * @param threads threads for requests of 64 proposals or more (0 = all processors)
 */
@Validated
@ConfigurationProperties("cvd-planner.proposals")
record ProposalProperties(@DefaultValue("1000") @Min(1) int maxProposals,
        @DefaultValue("64") @Min(1) @Max(4096) int defaultRollouts,
        @DefaultValue("262144") @Min(1) int maxForecastRows,
        @DefaultValue("0") @Min(0) @Max(256) int threads) {

    int effectiveThreads() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }
}
