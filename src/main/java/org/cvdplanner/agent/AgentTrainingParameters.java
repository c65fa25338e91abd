package org.cvdplanner.agent;

import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotNull;
import org.cvdplanner.synthesis.ConditionBounds;
import org.cvdplanner.synthesis.ConditionVector;
import org.cvdplanner.synthesis.PhaseVector;

/**
 * The body of {@code POST /api/v1/jobs/agent-training}, stored with the job as it came. Null means
 * the default of {@link AgentHyperParameters#defaults()} (steps: the NADE model's profile length);
 * {@link #hyperParameters} resolves them once the NADE model's length is known.
 *
 * @param nadeModelId the NADE model to train against
 * @param objective MAX_2H_EARLY (default), MAX_FINAL_2H, MAX_1T or TARGET_MIXTURE (case-insensitive)
 * @param targetMixture the phase mixture for TARGET_MIXTURE
 * @param bounds condition bounds (default: the paper's)
 * @param maxChangePerStep largest change per step of each condition (default: none)
 * @param initialConditions X_0 of every episode (default: uniform within the bounds)
 * @param actionScale one action unit in condition units (default 250 K, 20, 20, 20)
 * @param baselines run the random-walk and cross-entropy baselines after training (default true)
 * @param sigmaFinal σ at the end of training (default 0.05)
 * @param learnInitialConditions learn X_0 (default true) when {@code initialConditions} is not given
 * @param fixedGases gas amounts the furnace holds constant (default none)
 * @param minHoldSteps minimum steps at a temperature once it changes (default 1 = no limit)
 * @param seed the job's seed (drawn and stored when absent)
 * @param externalRef the lab system's own reference, stored with the job rather than in its
 *     parameters (so only read from a request)
 */
public record AgentTrainingParameters(@NotNull UUID nadeModelId, Integer episodes, Integer batchSize, Double sigma,
        Double learningRate, Double gamma, Double gradientClipNorm, Double valueLossWeight,
        Boolean normaliseAdvantages, String objective, PhaseVector targetMixture, ConditionBounds bounds,
        ConditionVector maxChangePerStep, ConditionVector initialConditions, ConditionVector actionScale,
        Boolean sampleEnvironment, Boolean baselines, Double sigmaFinal, Boolean learnInitialConditions,
        FixedGases fixedGases, Integer minHoldSteps, Long seed,
        @JsonProperty(access = JsonProperty.Access.WRITE_ONLY) String externalRef) {

    /** Just the model, everything else default. */
    public static AgentTrainingParameters of(UUID nadeModelId) {
        return new AgentTrainingParameters(nadeModelId, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public AgentTrainingParameters withEpisodes(int value) {
        return new AgentTrainingParameters(nadeModelId, value, batchSize, sigma, learningRate, gamma, gradientClipNorm,
                valueLossWeight, normaliseAdvantages, objective, targetMixture, bounds, maxChangePerStep,
                initialConditions, actionScale, sampleEnvironment, baselines, sigmaFinal, learnInitialConditions, fixedGases,
                minHoldSteps, seed, externalRef);
    }

    public AgentTrainingParameters withBatchSize(int value) {
        return new AgentTrainingParameters(nadeModelId, episodes, value, sigma, learningRate, gamma, gradientClipNorm,
                valueLossWeight, normaliseAdvantages, objective, targetMixture, bounds, maxChangePerStep,
                initialConditions, actionScale, sampleEnvironment, baselines, sigmaFinal, learnInitialConditions, fixedGases,
                minHoldSteps, seed, externalRef);
    }

    public AgentTrainingParameters withBaselines(boolean value) {
        return new AgentTrainingParameters(nadeModelId, episodes, batchSize, sigma, learningRate, gamma,
                gradientClipNorm, valueLossWeight, normaliseAdvantages, objective, targetMixture, bounds,
                maxChangePerStep, initialConditions, actionScale, sampleEnvironment, value, sigmaFinal, learnInitialConditions,
                fixedGases, minHoldSteps, seed, externalRef);
    }

    /** The objective named by {@link #objective}, MAX_2H_EARLY when null. */
    public Objective parsedObjective() {
        if (objective == null || objective.isBlank()) {
            return Objective.MAX_2H_EARLY;
        }
        try {
            return Objective.valueOf(objective.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidAgentParameterException("objective", "'" + objective + "' is not one of "
                    + java.util.Arrays.toString(Objective.values()));
        }
    }

    public boolean runBaselines() {
        return baselines == null || baselines;
    }

    /**
     * The hyper-parameters these parameters mean for a model of {@code steps} steps.
     *
     * @throws InvalidAgentParameterException naming the field at fault
     */
    public AgentHyperParameters hyperParameters(long seed, int steps) {
        AgentHyperParameters d = AgentHyperParameters.defaults();
        return new AgentHyperParameters(episodes != null ? episodes : d.episodes(),
                batchSize != null ? batchSize : d.batchSize(), sigma != null ? sigma : d.sigma(),
                learningRate != null ? learningRate : d.learningRate(), gamma != null ? gamma : d.gamma(),
                gradientClipNorm != null ? gradientClipNorm : d.gradientClipNorm(),
                valueLossWeight != null ? valueLossWeight : d.valueLossWeight(),
                normaliseAdvantages != null ? normaliseAdvantages : d.normaliseAdvantages(),
                actionScale != null ? actionScale : d.actionScale(), parsedObjective(), targetMixture,
                bounds != null ? bounds : d.bounds(), maxChangePerStep, initialConditions, steps,
                sampleEnvironment != null ? sampleEnvironment : d.sampleEnvironment(), seed,
                sigmaFinal != null ? sigmaFinal : Math.min(d.sigmaFinal(), sigma != null ? sigma : d.sigma()),
                learnInitialConditions != null ? learnInitialConditions : d.learnInitialConditions(), fixedGases,
                minHoldSteps != null ? minHoldSteps : d.minHoldSteps());
    }
}
