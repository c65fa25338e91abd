package org.cvdplanner.agent;

import org.cvdplanner.synthesis.ConditionBounds;
import org.cvdplanner.synthesis.ConditionVector;
import org.cvdplanner.synthesis.PhaseVector;

/**
 * Everything that decides how an agent is trained and what it optimises. The network shape is
 * fixed (the paper's: 128 → 72 → 24 ReLU, a Gaussian action head of 4 with fixed σ and a value
 * head of 1).
 *
 * @param episodes training episodes (the paper: ~15,000); rounded up to whole batches
 * @param batchSize episodes run in parallel and per policy update (default 32)
 * @param sigma the fixed standard deviation of the Gaussian policy, in action units
 * @param learningRate Adam's learning rate
 * @param gamma discount factor of the returns (0.99)
 * @param gradientClipNorm global L2-norm clip of the gradient (the paper: 40); 0 = off
 * @param valueLossWeight weight of the value head's smooth-L1 loss relative to the policy loss
 * @param normaliseAdvantages divide the advantages of each batch by their standard deviation
 * @param actionScale one action unit in condition units: X_{t+1} = clip(X_t + actionScale · a_t)
 * @param objective the reward
 * @param targetMixture the phase mixture to reach, for {@link Objective#TARGET_MIXTURE} (else null)
 * @param bounds the condition bounds every proposed X_t stays inside
 * @param maxChangePerStep the largest |X_{t+1} − X_t| per condition, or null for no limit
 * @param initialConditions X_0 of every training episode, or null to draw X_0 uniformly from the
 *     bounds (the paper)
 * @param steps steps per episode and schedule (the profiles' length, 20)
 * @param sampleEnvironment feed back phase vectors sampled from the NADE Gaussian (true) or its
 *     mean (false) during training; rewards always read the predicted mean
 * @param seed initialisation, X_0 draws, action noise and environment samples
 * @param sigmaFinal σ at the end of training: σ decays geometrically from {@code sigma} to it as
 *     batches that found any reward signal accumulate (batches without signal do not count, so
 *     exploration stays wide until reward is found)
 * @param learnInitialConditions learn X_0 with an initial-condition head (when
 *     {@code initialConditions} is null); false draws X_0 uniformly (the paper)
 * @param fixedGases gas amounts held constant (null or null components = free)
 * @param minHoldSteps the furnace holds a temperature for at least this many steps (1 = no limit)
 */
public record AgentHyperParameters(int episodes, int batchSize, double sigma, double learningRate, double gamma,
        double gradientClipNorm, double valueLossWeight, boolean normaliseAdvantages, ConditionVector actionScale,
        Objective objective, PhaseVector targetMixture, ConditionBounds bounds, ConditionVector maxChangePerStep,
        ConditionVector initialConditions, int steps, boolean sampleEnvironment, long seed, double sigmaFinal,
        boolean learnInitialConditions, FixedGases fixedGases, int minHoldSteps) {

    /** The random walk's step std of the reference work: one action unit moves this far. */
    public static final ConditionVector DEFAULT_ACTION_SCALE = new ConditionVector(250, 20, 20, 20);
    public static final int DEFAULT_STEPS = 20;
    /** Largest batch: its features alone take batch × 18 × 265 floats (78 MB at 4096). */
    public static final int MAX_BATCH = 4096;
    public static final int MAX_EPISODES = 10_000_000;
    private static final String[] CONDITIONS = {"temperatureK", "s2", "h2", "h2s"};

    public AgentHyperParameters {
        require(episodes >= 1 && episodes <= MAX_EPISODES, "episodes", "must be between 1 and " + MAX_EPISODES);
        require(batchSize >= 1 && batchSize <= MAX_BATCH, "batchSize", "must be between 1 and " + MAX_BATCH);
        require(sigma > 0 && sigma <= 100 && Double.isFinite(sigma), "sigma", "must be in (0, 100]");
        require(learningRate > 0 && learningRate <= 1, "learningRate", "must be in (0, 1]");
        require(gamma > 0 && gamma <= 1, "gamma", "must be in (0, 1]");
        require(gradientClipNorm >= 0 && Double.isFinite(gradientClipNorm), "gradientClipNorm", "must be >= 0");
        require(valueLossWeight > 0 && Double.isFinite(valueLossWeight), "valueLossWeight", "must be > 0");
        require(objective != null, "objective", "must be given");
        require(bounds != null, "bounds", "must be given");
        require(actionScale != null, "actionScale", "must be given");
        for (int c = 0; c < ConditionVector.SIZE; c++) {
            require(Double.isFinite(bounds.min(c)) && Double.isFinite(bounds.max(c)) && bounds.min(c) < bounds.max(c),
                    "bounds." + CONDITIONS[c], "min must be finite and below max");
            require(actionScale.get(c) > 0 && Double.isFinite(actionScale.get(c)), "actionScale." + CONDITIONS[c],
                    "must be finite and > 0");
            if (maxChangePerStep != null) {
                require(maxChangePerStep.get(c) > 0 && Double.isFinite(maxChangePerStep.get(c)),
                        "maxChangePerStep." + CONDITIONS[c], "must be finite and > 0");
            }
        }
        require(bounds.min(0) > 0, "bounds.temperatureK", "min must be > 0 K");
        require(bounds.min(1) >= 0 && bounds.min(2) >= 0 && bounds.min(3) >= 0, "bounds", "gas amounts must be >= 0");
        if (initialConditions != null) {
            require(bounds.contains(initialConditions), "initialConditions", "must lie inside the bounds");
        }
        if (objective == Objective.TARGET_MIXTURE) {
            require(targetMixture != null, "targetMixture", "is required for TARGET_MIXTURE");
            requireMixture(targetMixture);
        } else {
            targetMixture = null;
        }
        require(steps >= 3 && steps <= 1000, "steps", "must be between 3 and 1000");
        require(sigmaFinal > 0 && sigmaFinal <= sigma, "sigmaFinal", "must be in (0, sigma]");
        require(minHoldSteps >= 1 && minHoldSteps <= steps, "minHoldSteps", "must be between 1 and the steps");
        if (fixedGases != null) {
            for (int c = 1; c < ConditionVector.SIZE; c++) {
                Double v = fixedGases.get(c);
                require(v == null || (Double.isFinite(v) && v >= bounds.min(c) && v <= bounds.max(c)),
                        "fixedGases." + CONDITIONS[c], "must lie inside the bounds");
                if (v != null && initialConditions != null) {
                    require(initialConditions.get(c) == v, "initialConditions." + CONDITIONS[c],
                            "must equal the fixed value " + v);
                }
            }
            if (!fixedGases.any()) {
                fixedGases = null;
            }
        }
    }

    /** The fixed value of condition c, or null when the agent controls it. */
    public Double fixed(int c) {
        return fixedGases == null ? null : fixedGases.get(c);
    }

    static void requireMixture(PhaseVector target) {
        double sum = 0;
        for (int k = 0; k < PhaseVector.SIZE; k++) {
            require(target.get(k) >= 0 && target.get(k) <= 1, "targetMixture", "fractions must be in [0, 1]");
            sum += target.get(k);
        }
        require(Math.abs(sum - 1) < 1e-6, "targetMixture", "fractions must sum to 1");
    }

    private static void require(boolean ok, String field, String message) {
        if (!ok) {
            throw new InvalidAgentParameterException(field, message);
        }
    }

    /**
     * The defaults: 15,000 episodes in batches of 32, σ from 0.7 to 0.05 (in units of half of each
     * condition's range: the action is a target level inside the bounds), Adam 2e-3, X_0 learned, γ = 0.99, clip 40, MAX_2H_EARLY, the paper's bounds,
     * X_0 drawn uniformly, 20 steps, sampled environment, seed 42. σ and the learning rate were
     * chosen by validated results over seeds (docs/agent.md).
     */
    public static AgentHyperParameters defaults() {
        return new AgentHyperParameters(15_000, 32, 0.7, 2e-3, 0.99, 40, 0.5, true, DEFAULT_ACTION_SCALE,
                Objective.MAX_2H_EARLY, null, ConditionBounds.PAPER, null, null, DEFAULT_STEPS, true, 42, 0.05, true, null,
                1);
    }

    /** Actions per episode: X_1 .. X_{steps-2} (X_{steps-1} has no observed effect and holds X_{steps-2}). */
    public int actionsPerEpisode() {
        return steps - 2;
    }

    /** Policy updates: one per batch. */
    public int batches() {
        return (episodes + batchSize - 1) / batchSize;
    }

    /**
     * X_{t+1} component c from X_t = {@code previous} and the unconstrained proposal: limited to
     * {@link #maxChangePerStep} and clipped to the bounds.
     */
    public double constrain(int c, double previous, double proposed) {
        double v = proposed;
        if (maxChangePerStep != null) {
            double limit = maxChangePerStep.get(c);
            v = Math.max(previous - limit, Math.min(previous + limit, v));
        }
        return bounds.clip(c, v);
    }

    public AgentHyperParameters withEpisodes(int value) {
        return toBuilder().episodes(value).build();
    }

    public AgentHyperParameters withBatchSize(int value) {
        return toBuilder().batchSize(value).build();
    }

    public AgentHyperParameters withSigma(double value) {
        return toBuilder().sigma(value).sigmaFinal(Math.min(sigmaFinal, value)).build();
    }

    public AgentHyperParameters withLearningRate(double value) {
        return toBuilder().learningRate(value).build();
    }

    public AgentHyperParameters withObjective(Objective value, PhaseVector target) {
        return toBuilder().objective(value).targetMixture(target).build();
    }

    public AgentHyperParameters withConstraints(ConditionBounds newBounds, ConditionVector maxChange) {
        return toBuilder().bounds(newBounds).maxChangePerStep(maxChange).build();
    }

    public AgentHyperParameters withInitialConditions(ConditionVector value) {
        return toBuilder().initialConditions(value).build();
    }

    public AgentHyperParameters withActionScale(ConditionVector value) {
        return toBuilder().actionScale(value).build();
    }

    public AgentHyperParameters withSteps(int value) {
        return toBuilder().steps(value).build();
    }

    public AgentHyperParameters withSampleEnvironment(boolean value) {
        return toBuilder().sampleEnvironment(value).build();
    }

    public AgentHyperParameters withNormaliseAdvantages(boolean value) {
        return toBuilder().normaliseAdvantages(value).build();
    }

    public AgentHyperParameters withGradientClipNorm(double value) {
        return toBuilder().gradientClipNorm(value).build();
    }

    public AgentHyperParameters withSeed(long value) {
        return toBuilder().seed(value).build();
    }

    public AgentHyperParameters withSigmaFinal(double value) {
        return toBuilder().sigmaFinal(value).build();
    }

    public AgentHyperParameters withLearnInitialConditions(boolean value) {
        return toBuilder().learnInitialConditions(value).build();
    }

    public AgentHyperParameters withFurnace(FixedGases gases, int holdSteps) {
        return toBuilder().fixedGases(gases).minHoldSteps(holdSteps).build();
    }

    /** A copy to change a few settings of; {@link Builder#build()} validates again. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Mutable copy of the settings, for the {@code with…} methods and callers that change several. */
    public static final class Builder {
        private int episodes;
        private int batchSize;
        private double sigma;
        private double learningRate;
        private double gamma;
        private double gradientClipNorm;
        private double valueLossWeight;
        private boolean normaliseAdvantages;
        private ConditionVector actionScale;
        private Objective objective;
        private PhaseVector targetMixture;
        private ConditionBounds bounds;
        private ConditionVector maxChangePerStep;
        private ConditionVector initialConditions;
        private int steps;
        private boolean sampleEnvironment;
        private long seed;
        private double sigmaFinal;
        private boolean learnInitialConditions;
        private FixedGases fixedGases;
        private int minHoldSteps;

        private Builder(AgentHyperParameters p) {
            episodes = p.episodes;
            batchSize = p.batchSize;
            sigma = p.sigma;
            learningRate = p.learningRate;
            gamma = p.gamma;
            gradientClipNorm = p.gradientClipNorm;
            valueLossWeight = p.valueLossWeight;
            normaliseAdvantages = p.normaliseAdvantages;
            actionScale = p.actionScale;
            objective = p.objective;
            targetMixture = p.targetMixture;
            bounds = p.bounds;
            maxChangePerStep = p.maxChangePerStep;
            initialConditions = p.initialConditions;
            steps = p.steps;
            sampleEnvironment = p.sampleEnvironment;
            seed = p.seed;
            sigmaFinal = p.sigmaFinal;
            learnInitialConditions = p.learnInitialConditions;
            fixedGases = p.fixedGases;
            minHoldSteps = p.minHoldSteps;
        }

        public Builder episodes(int value) {
            episodes = value;
            return this;
        }

        public Builder batchSize(int value) {
            batchSize = value;
            return this;
        }

        public Builder sigma(double value) {
            sigma = value;
            return this;
        }

        public Builder learningRate(double value) {
            learningRate = value;
            return this;
        }

        public Builder gamma(double value) {
            gamma = value;
            return this;
        }

        public Builder gradientClipNorm(double value) {
            gradientClipNorm = value;
            return this;
        }

        public Builder valueLossWeight(double value) {
            valueLossWeight = value;
            return this;
        }

        public Builder normaliseAdvantages(boolean value) {
            normaliseAdvantages = value;
            return this;
        }

        public Builder actionScale(ConditionVector value) {
            actionScale = value;
            return this;
        }

        public Builder objective(Objective value) {
            objective = value;
            return this;
        }

        public Builder targetMixture(PhaseVector value) {
            targetMixture = value;
            return this;
        }

        public Builder bounds(ConditionBounds value) {
            bounds = value;
            return this;
        }

        public Builder maxChangePerStep(ConditionVector value) {
            maxChangePerStep = value;
            return this;
        }

        public Builder initialConditions(ConditionVector value) {
            initialConditions = value;
            return this;
        }

        public Builder steps(int value) {
            steps = value;
            return this;
        }

        public Builder sampleEnvironment(boolean value) {
            sampleEnvironment = value;
            return this;
        }

        public Builder seed(long value) {
            seed = value;
            return this;
        }

        public Builder sigmaFinal(double value) {
            sigmaFinal = value;
            return this;
        }

        public Builder learnInitialConditions(boolean value) {
            learnInitialConditions = value;
            return this;
        }

        public Builder fixedGases(FixedGases value) {
            fixedGases = value;
            return this;
        }

        public Builder minHoldSteps(int value) {
            minHoldSteps = value;
            return this;
        }

        public AgentHyperParameters build() {
            return new AgentHyperParameters(episodes, batchSize, sigma, learningRate, gamma, gradientClipNorm,
                    valueLossWeight, normaliseAdvantages, actionScale, objective, targetMixture, bounds,
                    maxChangePerStep, initialConditions, steps, sampleEnvironment, seed, sigmaFinal,
                    learnInitialConditions, fixedGases, minHoldSteps);
        }
    }
}
