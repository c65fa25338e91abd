package org.cvdplanner.nade.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NadePredictionsTests {

    @Test
    void warnsFromTheFirstStepBeyondTheTrainingHorizonOnly() {
        assertThat(NadePredictions.horizonWarning(60, 20).firstStep()).isEqualTo(20);
        assertThat(NadePredictions.horizonWarning(21, 20).firstStep()).isEqualTo(20);
        assertThat(NadePredictions.horizonWarning(20, 20)).isNull();
    }
}
