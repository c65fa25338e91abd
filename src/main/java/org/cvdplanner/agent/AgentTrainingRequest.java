package org.cvdplanner.agent;

import java.util.UUID;

import org.cvdplanner.synthesis.ConditionBounds;
import org.cvdplanner.synthesis.ConditionVector;
import org.cvdplanner.synthesis.PhaseVector;

/**
 * The body of {@code POST /api/v1/jobs/agent-training}: the job's parameters
 * ({@link AgentTrainingParameters}) plus an optional seed (drawn and stored when absent) and the
 * lab system's own reference ({@code externalRef}, stored with the job).
 */
public record AgentTrainingRequest(UUID nadeModelId, Integer episodes, Integer batchSize, Double sigma,
        Double learningRate, Double gamma, Double gradientClipNorm, Double valueLossWeight,
        Boolean normaliseAdvantages, String objective, PhaseVector targetMixture, ConditionBounds bounds,
        ConditionVector maxChangePerStep, ConditionVector initialConditions, ConditionVector actionScale,
        Boolean sampleEnvironment, Boolean baselines, Long seed, Double sigmaFinal, Boolean learnInitialConditions,
        FixedGases fixedGases, Integer minHoldSteps, String externalRef) {

    public AgentTrainingParameters parameters() {
        return new AgentTrainingParameters(nadeModelId, episodes, batchSize, sigma, learningRate, gamma,
                gradientClipNorm, valueLossWeight, normaliseAdvantages, objective, targetMixture, bounds,
                maxChangePerStep, initialConditions, actionScale, sampleEnvironment, baselines, sigmaFinal,
                learnInitialConditions, fixedGases, minHoldSteps);
    }
}
