package org.cvdplanner.demo;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The one-command demo: on start-up with an empty database (or when forced) the service runs the
 * whole pipeline through its own HTTP API and logs a summary.
 *
 * @param enabled run it when the database holds no dataset (default true, so the README's run
 *     command shows the method end to end; deployments switch it off)
 * @param force run it even when datasets exist
 * @param profiles simulated profiles in the training set
 * @param nadeEpochs NADE training epochs (the learning rate decays to its floor at the last one)
 * @param nadeBatchSize NADE mini-batch size
 * @param agentEpisodes REINFORCE training episodes (the paper: ~15,000)
 * @param agentBatchSize episodes per policy update
 * @param proposals schedules the agent proposes
 * @param validationReplicas simulator replicas per validated proposal
 * @param seed seed of every step, so a rerun reproduces the run
 */
@ConfigurationProperties("cvd-planner.demo")
record DemoProperties(@DefaultValue("true") boolean enabled, @DefaultValue("false") boolean force,
        @DefaultValue("10000") int profiles, @DefaultValue("40") int nadeEpochs, @DefaultValue("32") int nadeBatchSize,
        @DefaultValue("15000") int agentEpisodes, @DefaultValue("32") int agentBatchSize,
        @DefaultValue("8") int proposals, @DefaultValue("16") int validationReplicas, @DefaultValue("2021") long seed) {
}
