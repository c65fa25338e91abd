package org.cvdplanner.agent;

import java.time.Instant;

import org.cvdplanner.nade.NadeProvenance;

/**
 * Where an agent came from.
 *
 * @param nadeModelId the registry id of the NADE model it was trained against (null in code)
 * @param nadeModelSha256 SHA-256 of that model's artifact; proposals refuse any other model
 * @param datasetId the dataset the NADE model was trained on (null when unknown)
 * @param episodes episodes trained
 * @param batches policy updates made
 * @param threads threads that ran the episodes (results are reproducible for equal thread counts)
 * @param dl4jVersion Deeplearning4j version
 * @param nd4jBackend the ND4J backend that trained it
 * @param javaVersion the JVM that trained it
 * @param trainedAt when training finished
 * @param trainingSeconds wall time spent training (summed over resumed runs)
 * @param finalMeanObjective mean objective per episode over the last tenth of the batches
 * @param nadeModel the provenance of the NADE model it was trained against (its split, ensemble and
 *     hyper-parameters; without the learning curve), null for agents trained before it was recorded
 */
public record AgentProvenance(String nadeModelId, String nadeModelSha256, Long datasetId, long episodes, int batches,
        int threads, String dl4jVersion, String nd4jBackend, String javaVersion, Instant trainedAt,
        double trainingSeconds, double finalMeanObjective, NadeProvenance nadeModel) {
}
